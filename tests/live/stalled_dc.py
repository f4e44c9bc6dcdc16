#!/usr/bin/env python3
"""A domain controller that hangs: listens on ADDRESS, forwards LDAP (389) and
LDAPS (636) to the real DC on 127.0.0.1, and accepts SMB (445) connections that it
never answers. With --ldaps-too, LDAPS is accepted and never answered either.

    stalled_dc.py ADDRESS [--ldaps-too]
"""
import socket
import sys
import threading


def pipe(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def serve(address, port, target):
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((address, port))
    listener.listen(16)
    held = []  # silent connections stay open
    while True:
        conn, _ = listener.accept()
        if target is None:
            held.append(conn)
            continue
        upstream = socket.create_connection(target)
        threading.Thread(target=pipe, args=(conn, upstream), daemon=True).start()
        threading.Thread(target=pipe, args=(upstream, conn), daemon=True).start()


address = sys.argv[1]
ldaps = None if '--ldaps-too' in sys.argv[2:] else ('127.0.0.1', 636)
threading.Thread(target=serve, args=(address, 636, ldaps), daemon=True).start()
threading.Thread(target=serve, args=(address, 389, ('127.0.0.1', 389)), daemon=True).start()
serve(address, 445, None)
