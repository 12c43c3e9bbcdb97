import { useEffect, useState } from 'react'
import { useClient } from '../app/client-context.ts'
import { joinChatFile } from '../app/commands.ts'
import { isContactFileName, readContactFile } from '../lib/contact-file.ts'
import { joinProblem } from '../lib/join-problem.ts'
import { actions } from '../store/store.ts'
import { Icon } from './Icon.tsx'

const carriesFiles = (event: DragEvent): boolean => [...(event.dataTransfer?.types ?? [])].includes('Files')

/**
 * Accepts a file dropped anywhere on the window (an open dialog included): a `.chat` file joins its
 * channel, a contact file opens Add a contact with it. The overlay shows while one is dragged over.
 */
export function DropZone () {
  const client = useClient()
  const [active, setActive] = useState(false)

  useEffect(() => {
    // dragenter/dragleave fire for every child crossed, so count them to know when the window is left.
    let depth = 0
    const onEnter = (event: DragEvent): void => {
      if (!carriesFiles(event)) return
      event.preventDefault()
      depth++
      setActive(true)
    }
    const onOver = (event: DragEvent): void => {
      if (!carriesFiles(event)) return
      // Without this the drop would navigate the window to the file.
      event.preventDefault()
      if (event.dataTransfer !== null) event.dataTransfer.dropEffect = 'copy'
    }
    const onLeave = (event: DragEvent): void => {
      if (!carriesFiles(event)) return
      depth = Math.max(0, depth - 1)
      if (depth === 0) setActive(false)
    }
    const onDrop = (event: DragEvent): void => {
      if (!carriesFiles(event)) return
      event.preventDefault()
      depth = 0
      setActive(false)
      const file = event.dataTransfer?.files[0]
      if (file === undefined) return
      if (isContactFileName(file.name)) {
        readContactFile(file).then(
          contactFile => { actions().dialogOpened({ kind: 'add-contact', contactFile }) },
          (err: unknown) => { actions().noticePosted('error', `Could not add the contact: ${(err as Error).message}`) }
        )
        return
      }
      joinChatFile(client, file).catch((err: unknown) => {
        const { text, detail } = joinProblem(err)
        actions().noticePosted('error', `Could not join: ${text.charAt(0).toLowerCase()}${text.slice(1)}`, detail)
      })
    }
    window.addEventListener('dragenter', onEnter)
    window.addEventListener('dragover', onOver)
    window.addEventListener('dragleave', onLeave)
    window.addEventListener('drop', onDrop)
    return () => {
      window.removeEventListener('dragenter', onEnter)
      window.removeEventListener('dragover', onOver)
      window.removeEventListener('dragleave', onLeave)
      window.removeEventListener('drop', onDrop)
    }
  }, [client])

  if (!active) return null
  return (
    <div className="drop-overlay" data-testid="drop-overlay">
      <div className="drop-overlay__card">
        <Icon name="file" size={40} />
        <p className="drop-overlay__text">Drop a .chat file to join</p>
        <p className="drop-overlay__hint">or a contact file (.bitchat-contact) to add the person</p>
      </div>
    </div>
  )
}
