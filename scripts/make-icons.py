#!/usr/bin/env python3
"""Draws the app icon (three rings: the red / yellow / green early-warning
colours around a white centre) as PNGs and an ICO, with no imaging library.
Run from the repository root: python3 scripts/make-icons.py"""
import math
import struct
import zlib

RINGS = [(0.50, (0xD9, 0x30, 0x25)), (0.38, (0xF2, 0xB6, 0x00)), (0.26, (0x1E, 0x8E, 0x3E)), (0.14, (0xFF, 0xFF, 0xFF))]


def pixel(x, y, n):
    # Supersampled 4x4 for smooth edges.
    acc = [0, 0, 0, 0]
    for sy in range(4):
        for sx in range(4):
            px = (x + (sx + 0.5) / 4) / n - 0.5
            py = (y + (sy + 0.5) / 4) / n - 0.5
            r = math.hypot(px, py)
            colour = None
            for radius, c in RINGS:
                if r <= radius * 0.96:
                    colour = c
            if colour:
                acc[0] += colour[0]
                acc[1] += colour[1]
                acc[2] += colour[2]
                acc[3] += 255
    return bytes(v // 16 for v in acc)


def png(n):
    rows = b"".join(b"\x00" + b"".join(pixel(x, y, n) for x in range(n)) for y in range(n))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", n, n, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def ico(images):
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = 6 + 16 * len(images)
    entries, blobs = b"", b""
    for n, data in images:
        entries += struct.pack("<BBBBHHII", n % 256, n % 256, 0, 0, 1, 32, len(data), offset + len(blobs))
        blobs += data
    return header + entries + blobs


sizes = {"32x32.png": 32, "128x128.png": 128, "128x128@2x.png": 256, "icon.png": 512}
made = {}
for name, n in sizes.items():
    made[n] = png(n)
    with open(f"src-tauri/icons/{name}", "wb") as f:
        f.write(made[n])
with open("src-tauri/icons/icon.ico", "wb") as f:
    f.write(ico([(32, made[32]), (256, made[256])]))
print("icons written to src-tauri/icons/")
