#!/usr/bin/env bash
# make check-report: builds the report of a small constructed run directory (written by the
# ReportTests suite's example run), renders report/index.html in headless Chromium and checks the
# screenshot is not blank (many distinct colours, non-white pixels in every band of the page).
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${CASCADE:?}"
CASCADE=$(realpath "$CASCADE")
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -n "$CHROMIUM" ] || { echo "check-report: chromium not found (apt-get install chromium)" >&2; exit 1; }
out=${CHECK_REPORT_DIR:-.build/check-report}
rm -rf "$out"
mkdir -p "$out"
run=$(realpath "$out")/run
CASCADE_REPORT_CHECK_DIR="$run" "${SWIFT:-swift}" test --skip-build --filter ReportTests/reportIsSelfContainedAndEverySVGParses >"$out/swift-test.log" 2>&1 \
  || { cat "$out/swift-test.log"; exit 1; }
"$CASCADE" report "$run" >/dev/null
png=$(realpath "$out")/report.png
"$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --screenshot="$png" --window-size=1000,3000 \
  "file://$run/report/index.html" >"$out/chromium.log" 2>&1 || { cat "$out/chromium.log"; exit 1; }
python3 - "$png" <<'PY'
import struct, sys, zlib

def read_png(path):
    data = open(path, "rb").read()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, info = 8, b"", None
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            info = struct.unpack(">IIBBBBB", chunk)
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + n
    w, h, depth, ctype = info[:4]
    assert depth == 8 and ctype in (2, 6), f"unexpected PNG format depth={depth} type={ctype}"
    bpp = 3 if ctype == 2 else 4
    raw = zlib.decompress(idat)
    stride = w * bpp
    rows, prev, i = [], bytearray(stride), 0
    for _ in range(h):
        f = raw[i]; line = bytearray(raw[i + 1:i + 1 + stride]); i += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1: line[x] = (line[x] + a) & 255
            elif f == 2: line[x] = (line[x] + b) & 255
            elif f == 3: line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line)); prev = line
    return w, h, bpp, rows

w, h, bpp, rows = read_png(sys.argv[1])
colours, bands = set(), []
band = max(1, h // 6)
for y0 in range(0, h, band):
    nonwhite = 0
    for y in range(y0, min(h, y0 + band), 3):
        r = rows[y]
        for x in range(0, w * bpp, bpp * 3):
            px = r[x:x + 3]
            colours.add(px)
            if px != b"\xff\xff\xff": nonwhite += 1
    bands.append(nonwhite)
print(f"check-report: {w}x{h} screenshot, {len(colours)} distinct colours, non-white samples per band {bands}")
assert w == 1000 and h == 3000, "unexpected screenshot size"
assert len(colours) > 200, "screenshot looks blank (few colours)"
assert all(n > 500 for n in bands), "a part of the page is blank"
PY
echo "check-report: OK ($png)"
