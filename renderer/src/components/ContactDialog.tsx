import { useRef, useState } from 'react'
import type { Hex } from '../../../core/api/contract.ts'
import { contactLabel } from '../lib/people.ts'
import { actions, useAppStore } from '../store/store.ts'
import type { ContactView } from '../store/ui.ts'
import { ContactDetails } from './ContactDetails.tsx'
import { Modal } from './Modal.tsx'
import { SafetyCodeView } from './SafetyCodeView.tsx'

/** A contact's details, and the safety code to verify them, in one dialog: Back returns to the details. */
export function ContactDialog ({ publicKey, initialView = 'details' }: { publicKey: Hex; initialView?: ContactView | undefined }) {
  const contact = useAppStore(s => s.contacts.get(publicKey))
  const [view, setView] = useState<ContactView>(initialView)
  const body = useRef<HTMLDivElement>(null)
  const close = (): void => { actions().dialogClosed() }
  // Removed meanwhile (here or by another client of the same node): the dialog closes with it.
  if (contact === undefined) return null
  const name = contactLabel(contact)

  const back = (): void => {
    setView('details')
    requestAnimationFrame(() => { body.current?.querySelector<HTMLElement>('[data-testid="verify-button"]')?.focus() })
  }

  return (
    <Modal title={view === 'verify' ? <>Verify <bdi>{name}</bdi></> : <bdi>{name}</bdi>} onClose={close} size={view === 'verify' ? 'wide' : 'normal'}>
      <div ref={body}>
        {view === 'verify'
          ? <SafetyCodeView contact={contact} onBack={back} />
          : <ContactDetails key={contact.publicKey} contact={contact} onVerify={() => { setView('verify') }} />}
      </div>
    </Modal>
  )
}
