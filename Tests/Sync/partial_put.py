#!/usr/bin/env python3
"""Sends part of a bundle upload, as a connection that breaks does, for the sync tests.

  partial_put.py PORT BUNDLE_ID FILE FROM COUNT close
      PUT /api/v1/bundles/BUNDLE_ID with Upload-Length = FILE's size and Upload-Offset = FROM,
      sends COUNT bytes of FILE from byte FROM, and closes the connection
  partial_put.py PORT BUNDLE_ID FILE FROM COUNT hold
      the same, but keeps the connection open (the request unfinished) until standard input ends

Writes "sent" to standard output once the bytes are sent.
"""
import os
import socket
import sys

port, bundle, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
start, count, mode = int(sys.argv[4]), int(sys.argv[5]), sys.argv[6]
size = os.path.getsize(path)
with open(path, "rb") as file:
    file.seek(start)
    head = file.read(count)
connection = socket.create_connection(("127.0.0.1", port))
connection.sendall(
    f"PUT /api/v1/bundles/{bundle} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {size - start}\r\n"
    f"Upload-Length: {size}\r\nUpload-Offset: {start}\r\n\r\n".encode() + head)
print("sent", flush=True)
if mode == "hold":
    sys.stdin.read()
connection.close()
