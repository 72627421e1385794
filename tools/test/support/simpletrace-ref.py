# Reference pretty-printer for tests: spec §5.4's simpletrace.py algorithm, written from the spec in plain Python so
# that Python's own repr() and float formatting are the oracle. Usage: simpletrace-ref.py EVENTS.json TRACEFILE
# [--no-header]; EVENTS.json is [[name, [[type, argname], ...]], ...] in catalog order.
import json
import struct
import sys


def is_string(type_text):
    # §5.1: a char pointer type with exactly one star is a string.
    t = type_text.lstrip()
    return t.startswith(('const char*', 'char*', 'const char *', 'char *')) and t.count('*') == 1


def main():
    events = json.load(open(sys.argv[1]))
    no_header = '--no-header' in sys.argv[3:]
    by_name = {name: args for name, args in events}
    by_name['dropped'] = [['uint64_t', 'num_events_dropped']]
    id_to_name = {0xFFFFFFFFFFFFFFFE: 'dropped'}
    if no_header:
        for i, (name, _) in enumerate(events):
            id_to_name[i] = name
    f = open(sys.argv[2], 'rb')
    if not no_header:
        hid, magic, version = struct.unpack('=QQQ', f.read(24))
        assert hid == 0xFFFFFFFFFFFFFFFF and magic == 0xF2B177CB0AA429B4 and version == 4
    last = None
    out = sys.stdout
    while True:
        t = f.read(8)
        if len(t) == 0:
            break
        (rectype,) = struct.unpack('=Q', t)
        if rectype == 0:
            eid, n = struct.unpack('=QL', f.read(12))
            id_to_name[eid] = f.read(n).decode('utf-8')
            continue
        eid, ts, length, pid = struct.unpack('=QQLL', f.read(24))
        payload = f.read(length - 24)
        name = id_to_name[eid]
        args = by_name[name]
        off = 0
        values = []
        for type_text, _ in args:
            if is_string(type_text):
                (n,) = struct.unpack_from('=L', payload, off)
                off += 4
                values.append(payload[off:off + n])
                off += n
            else:
                (v,) = struct.unpack_from('=Q', payload, off)
                off += 8
                values.append(v)
        if last is None:
            last = ts
        delta = ts - last
        last = ts
        shown = 'Dropped_Event' if name == 'dropped' else name
        fields = [f'{a}={v}' if is_string(t) else f'{a}=0x{v:x}' for v, (t, a) in zip(values, args)]
        out.write(f'{shown} {delta / 1000:0.3f} {pid=} ' + ' '.join(fields) + '\n')


main()
