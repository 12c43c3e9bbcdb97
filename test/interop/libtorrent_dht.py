"""A libtorrent DHT node on loopback, driven by test/interop/libtorrent-dht.test.ts.

Reads one JSON command a line on stdin, writes one JSON event a line on stdout:
  {"cmd": "start", "nodes": [["127.0.0.1", port], ...]}  -> {"event": "started", "port": udp_port}
  {"cmd": "get_peers", "infohash": hex}                   -> {"event": "peers", "infohash": hex, "peers": [[ip, port], ...]} per reply
  {"cmd": "add_torrent", "infohash": hex}                 -> {"event": "added", "infohash": hex}
A torrent added (a magnet without metadata) is announced to the DHT with the session's port, and
again every few seconds. (The bindings of libtorrent 2.0.8 cannot call session.dht_announce: its
flags argument has no Python converter.)
Exits when stdin closes. Anything unexpected is reported as {"event": "error", "message": ...}.
"""
import json
import queue
import sys
import tempfile
import threading
import time

try:
    import libtorrent as lt
except ImportError as err:
    print(json.dumps({"event": "error", "message": f"cannot import libtorrent ({err}): apt-get install python3-libtorrent and run /usr/bin/python3"}), flush=True)
    sys.exit(3)


def emit(event, **fields):
    print(json.dumps({"event": event, **fields}), flush=True)


def make_session():
    # Loopback only and DHT only. libtorrent normally refuses several nodes on one IP and
    # rate-limits 127.0.0.1 as if it were one abusive host; a loopback test DHT is exactly that.
    return lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": True,
        "enable_lsd": False,
        "enable_upnp": False,
        "enable_natpmp": False,
        "dht_bootstrap_nodes": "",
        "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False,
        "dht_prefer_verified_node_ids": False,
        "dht_ignore_dark_internet": False,
        "dht_block_ratelimit": 100000,
        "dht_announce_interval": 3,
        "alert_mask": lt.alert.category_t.dht_notification
        | lt.alert.category_t.dht_operation_notification
        | lt.alert.category_t.error_notification
        | lt.alert.category_t.status_notification,
    })


def read_commands(commands):
    for line in sys.stdin:
        line = line.strip()
        if line:
            commands.put(line)
    commands.put(None)


def handle(ses, command, save_path):
    name = command.get("cmd")
    if name == "start":
        for host, port in command["nodes"]:
            ses.add_dht_node((host, int(port)))
        deadline = time.monotonic() + 10
        while ses.listen_port() == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        emit("started", port=ses.listen_port())
    elif name == "get_peers":
        ses.dht_get_peers(lt.sha1_hash(bytes.fromhex(command["infohash"])))
    elif name == "add_torrent":
        params = lt.add_torrent_params()
        params.info_hashes = lt.info_hash_t(lt.sha1_hash(bytes.fromhex(command["infohash"])))
        params.save_path = save_path
        params.flags &= ~(lt.torrent_flags.auto_managed | lt.torrent_flags.paused)
        ses.add_torrent(params)
        emit("added", infohash=command["infohash"])
    else:
        emit("error", message=f"unknown command {name!r}")


def main(save_path):
    ses = make_session()
    commands = queue.Queue()
    threading.Thread(target=read_commands, args=(commands,), daemon=True).start()
    while True:
        try:
            line = commands.get(timeout=0.05)
        except queue.Empty:
            line = ""
        if line is None:
            return
        if line:
            try:
                handle(ses, json.loads(line), save_path)
            except Exception as err:  # report and keep serving: the test decides what is fatal
                emit("error", message=f"{type(err).__name__}: {err}")
        for alert in ses.pop_alerts():
            if isinstance(alert, lt.dht_get_peers_reply_alert):
                peers = [[ip, port] for ip, port in alert.peers()]
                emit("peers", infohash=str(alert.info_hash), peers=peers)
            elif alert.category() & lt.alert.category_t.error_notification:
                emit("error", message=alert.message())


with tempfile.TemporaryDirectory(prefix="bitchat-libtorrent-") as directory:
    main(directory)
