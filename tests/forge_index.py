#!/usr/bin/env python3
"""Forge an index: change record fields of a good index and make every checksum
match again, so the reader opens it and `verify` passes, and only what follows
the forged references can catch them (tests/suites/bad_inputs.sh).

usage: forge_index.py GOOD OUT EDIT...
  EDIT  SECTION:RECORD:FIELD=VALUE, e.g. defs:0:file=0xffffff,
        repos:0:defs.count=0xffffffff, defs:3:docstring=NOSTR, defs:2:parent=2
        SECTION is a section kind without HG_SEC_ (defs, files, repos, ...),
        RECORD the record's index, FIELD a field of its record struct as
        store/format.h declares it (a range's .first or .count), VALUE a
        number (decimal, 0x..., negative for int32 fields) or NOSTR.

The record layouts, section kinds and HG_BLOCK are read from store/format.h,
so the script follows the format as it changes.
"""
import os
import re
import struct
import sys

FORMAT_H = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "store", "format.h")
SCALARS = {"uint8_t": ("B", 1), "uint16_t": ("H", 2), "uint32_t": ("I", 4), "int32_t": ("i", 4), "uint64_t": ("Q", 8)}


def crc32c(data):
    crc = 0xFFFFFFFF
    table = crc32c.table
    for x in data:
        crc = table[(crc ^ x) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _table():
    t = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ (0x82F63B78 & -(c & 1))
        t.append(c)
    return t


crc32c.table = _table()


def read_format(path):
    h = open(path).read()
    enum = re.search(r"HG_SEC_STRINGS = 1,(.*?)HG_SEC_COUNT_", h, re.S).group(1)
    kinds = {"strings": 1}
    for i, name in enumerate(re.findall(r"HG_SEC_([A-Z_]+),", enum)):
        kinds[name.lower()] = i + 2
    block = int(re.search(r"#define HG_BLOCK (\d+)u", h).group(1))
    # every `typedef struct { ... } HgXxxRec;`: field name -> (offset, struct format)
    sizes = {n: int(v) for n, v in re.findall(r"_Static_assert\(sizeof\((\w+)\) == (\d+)", h)}
    layouts = {}
    for body, name in re.findall(r"typedef struct \{([^{}]*)\} (Hg\w+Rec);", h):
        body = re.sub(r"/\*.*?\*/", "", body, flags=re.S)
        fields, off = {}, 0
        for typ, names in re.findall(r"(\w+)\s+([^;]+);", body):
            for n in (x.strip() for x in names.split(",")):
                m = re.match(r"(\w+)(?:\[(\d+)\])?$", n)
                n, count = m.group(1), int(m.group(2) or 1)
                if typ == "HgRange":
                    off = (off + 3) & ~3
                    fields[n + ".first"] = (off, "I")
                    fields[n + ".count"] = (off + 4, "I")
                    off += 8
                    continue
                fmt, size = SCALARS[typ]
                off = (off + size - 1) & ~(size - 1)
                fields[n] = (off, fmt)
                off += size * count
        if (off + 3) & ~3 != sizes.get(name):  # the layout read must be the compiler's
            sys.exit("forge_index.py: %s: %d bytes read from %s, its _Static_assert says %s" %
                     (name, off, path, sizes.get(name)))
        layouts[name] = fields
    return kinds, block, layouts


RECORD_OF = {"repos": "HgRepoRec", "files": "HgFileRec", "defs": "HgDefRec", "params": "HgParamRec",
             "imports": "HgImportRec", "calls": "HgCallRec", "binds": "HgBindRec", "diags": "HgDiagRec",
             "edges": "HgEdgeRec"}


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    good, out, edits = argv[1], argv[2], argv[3:]
    kinds, block, layouts = read_format(FORMAT_H)
    b = bytearray(open(good, "rb").read())
    nsec = struct.unpack_from("<I", b, 12)[0]
    ents = [struct.unpack_from("<IIQQII", b, 32 + 32 * i) for i in range(nsec)]
    by_kind = {e[0]: (i, e) for i, e in enumerate(ents)}
    touched = set()
    for edit in edits:
        m = re.match(r"(\w+):(\d+):([\w.]+)=(\S+)$", edit)
        if not m:
            sys.exit("forge_index.py: bad edit %r (SECTION:RECORD:FIELD=VALUE)" % edit)
        sec, rec, field, value = m.group(1), int(m.group(2)), m.group(3), m.group(4)
        kind = kinds[sec]
        i, (k, rs, off, cnt, crc, first) = by_kind[kind]
        if rec >= cnt:
            sys.exit("forge_index.py: %s has %d records, not %d" % (sec, cnt, rec + 1))
        if sec == "strids" or sec == "callers":
            foff, fmt = 0, "I"
        else:
            foff, fmt = layouts[RECORD_OF[sec]][field]
        v = 0xFFFFFFFF if value == "NOSTR" else int(value, 0)
        bits = 8 * struct.calcsize(fmt)
        v &= (1 << bits) - 1  # NOSTR, or a value too wide for the field: its low bits
        if fmt == "i" and v > 0x7FFFFFFF:
            v -= 1 << 32
        struct.pack_into("<" + fmt, b, off + rs * rec + foff, v)
        touched.add(kind)
    _, (k, rs, crcs_off, cnt, crc, first) = by_kind[kinds["blockcrcs"]]
    for kind in touched:
        i, (k, rs, off, cnt, crc, first) = by_kind[kind]
        data = bytes(b[off:off + rs * cnt])
        struct.pack_into("<I", b, 32 + 32 * i + 24, crc32c(data))
        for j in range(0, len(data), block):
            struct.pack_into("<I", b, crcs_off + 4 * (first + j // block), crc32c(data[j:j + block]))
    i, (k, rs, off, cnt, crc, first) = by_kind[kinds["blockcrcs"]]
    struct.pack_into("<I", b, 32 + 32 * i + 24, crc32c(bytes(b[off:off + rs * cnt])))
    struct.pack_into("<I", b, 28, 0)
    struct.pack_into("<I", b, 28, crc32c(bytes(b[:32 + 32 * nsec])))
    open(out, "wb").write(b)


if __name__ == "__main__":
    main(sys.argv)
