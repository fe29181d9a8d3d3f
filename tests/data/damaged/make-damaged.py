#!/usr/bin/env python3
"""make-damaged.py - writes the corpus of damaged inputs that
tests/integration/damaged-inputs.sh feeds to slipway (issue 8, "bad input,
faults and limits"), derived from the real fixtures of tests/data/ and the
real engine answers of ../shared/samples/engine/.

Usage: make-damaged.py SOURCE_ROOT SAMPLES_DIR OUT_DIR [--small]

Every input is written under OUT_DIR/<kind>/ and listed in OUT_DIR/MANIFEST,
one line per input, tab-separated:

    KIND  TARGET  FILE  WHAT

KIND is how the input reaches slipway:
    feed    `slipway import TARGET FILE` (TARGET is a feed name)
    report  `slipway inventory --import FILE`
    config  `slipway -c FILE feeds`
    engine  the engine answer TARGET (version, info, list, inspect, image)
            replaced by FILE, served by tests/integration/fault-server.py
            on a unix socket, then `slipway inventory unix://SOCKET`
WHAT says what is wrong with it, for the test's summary.

Everything is derived deterministically (no randomness, no clock), so two
runs write the same bytes. With --small only the inputs of at most 64 KiB
are written: those are the ones committed in tests/data/damaged/ (the
test regenerates the whole corpus, the huge inputs included, into a
temporary directory and checks that the committed files are the same).

Damage applied to every JSON input (RFC 8259): truncation after a sample
of token boundaries (and inside a string, and the empty file), a top level
of the wrong type, a member of the wrong type, 100 000 unclosed '[' and a
closed array 100 000 deep inside the document, a 50 MB string, a 1 000 000
element array, invalid UTF-8 (RFC 3629: a stray continuation byte, an
overlong '/', a UTF-16 surrogate, a truncated sequence), a NUL byte, and a
duplicate key. XML (Atom, RFC 4287): truncations, billion laughs, an
external entity, an external DTD, invalid UTF-8. Archives: truncations, a
zip bomb (a small zip whose member inflates past the 256 MiB document cap),
a gzip bomb, a tar whose member header claims 10 GB (POSIX ustar, base-256
size), members named ../ and /absolute. Config (INI): a bad line, an
unterminated section, invalid UTF-8, a NUL byte, a 1 MB line, a duplicate
key, values of the wrong type."""
import gzip
import io
import json
import os
import sys
import tarfile
import zipfile

SMALL = 64 * 1024

src, samples, out = sys.argv[1], sys.argv[2], sys.argv[3]
small_only = "--small" in sys.argv[4:]
manifest = []


def read(*p):
    with open(os.path.join(*p), "rb") as f:
        return f.read()


def put(kind, target, name, data, what):
    """Writes one input (bytes, or a callable writing the file) and lists it."""
    rel = os.path.join(kind, name)
    path = os.path.join(out, rel)
    if callable(data):
        if small_only:
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        data(path)
    else:
        if small_only and len(data) > SMALL:
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
    manifest.append((kind, target, rel, what))


def boundaries(doc):
    """Offsets just after each JSON token: structural characters, the end
    of each string, the end of each scalar."""
    offs, i, n = [], 0, len(doc)
    while i < n:
        c = doc[i:i + 1]
        if c == b'"':
            j = i + 1
            while j < n and doc[j:j + 1] != b'"':
                j += 2 if doc[j:j + 1] == b"\\" else 1
            offs.append(j + 1)
            i = j + 1
        elif c in b"{}[],:":
            offs.append(i + 1)
            i += 1
        elif c in b" \t\r\n":
            i += 1
        else:
            j = i
            while j < n and doc[j:j + 1] not in b"{}[],: \t\r\n":
                j += 1
            offs.append(j)
            i = j
    return [o for o in offs if 0 < o < len(doc.rstrip())]


def sample(seq, k):
    """k entries spread evenly over seq, first and last included."""
    if len(seq) <= k:
        return list(seq)
    return [seq[round(i * (len(seq) - 1) / (k - 1))] for i in range(k)]


def first_string_value(doc, anchor=b'": "'):
    """Offset of the first character inside the string value that anchor
    (ending with the value's opening quote) introduces; by default the
    first string value of the document."""
    return doc.index(anchor) + len(anchor)


def json_damage(kind, target, stem, doc, wrong, dup, huge_array, hot):
    """The JSON damage list for one real document.
    hot: the bytes before a string value that slipway reads and stores
    (it gets the invalid UTF-8, the NUL byte, the deep value and the
    50 MB string);
    wrong: (old bytes, new bytes) turning one member into the wrong type;
    dup: (anchor bytes, duplicate member bytes) inserted after anchor;
    huge_array: (old bytes, prefix, element, suffix) replacing old by an
    array of 1 000 000 elements."""
    put(kind, target, stem + ".empty.json", b"", "empty file")
    for off in sample(boundaries(doc), 10):
        put(kind, target, "%s.truncated-at-%d.json" % (stem, off), doc[:off],
            "truncated after the token ending at byte %d" % off)
    s = first_string_value(doc, hot)
    put(kind, target, "%s.truncated-in-string.json" % stem, doc[:s + 2],
        "truncated inside a string")
    put(kind, target, stem + ".top-array.json", b"[" + doc + b"]",
        "an array at the top instead of an object")
    put(kind, target, stem + ".top-string.json", b'"' + stem.encode() + b'"',
        "a string at the top instead of an object")
    old, new = wrong
    assert old in doc, (stem, old)
    put(kind, target, stem + ".wrong-type.json", doc.replace(old, new, 1),
        "a member of the wrong type")
    put(kind, target, stem + ".unclosed-100000.json", b"[" * 100000,
        "100 000 unclosed '['")
    put(kind, target, stem + ".nested-100000.json",
        doc[:s - 1] + b"[" * 100000 + b"]" * 100000 + doc[doc.index(b'"', s) + 1:],
        "a value nested 100 000 arrays deep")
    for tag, bad in (("stray-continuation", b"\x80"), ("overlong-slash", b"\xc0\xaf"),
                     ("surrogate", b"\xed\xa0\x80"), ("cut-sequence", b"\xe2\x82"),
                     ("ff-byte", b"\xff\xfe")):
        put(kind, target, "%s.utf8-%s.json" % (stem, tag), doc[:s] + bad + doc[s:],
            "invalid UTF-8 (%s) in a string" % tag.replace("-", " "))
    put(kind, target, stem + ".nul-byte.json", doc[:s] + b"\x00" + doc[s:],
        "a NUL byte in a string")
    anchor, member = dup
    assert anchor in doc, (stem, anchor)
    i = doc.index(anchor) + len(anchor)
    put(kind, target, stem + ".duplicate-key.json", doc[:i] + member + doc[i:],
        "a duplicate key")

    def huge_string(path):
        with open(path, "wb") as f:
            f.write(doc[:s] + b"A" * (50 << 20) + doc[s:])
    put(kind, target, stem + ".string-50MB.json", huge_string, "a 50 MB string")

    def huge_arr(path):
        old, prefix, elem, suffix = huge_array
        assert old in doc, (stem, old)
        i = doc.index(old)
        with open(path, "wb") as f:
            f.write(doc[:i] + prefix)
            f.write(b",".join([elem] * 1000000))
            f.write(suffix + doc[i + len(old):])
    put(kind, target, stem + ".array-1M.json", huge_arr, "an array of 1 000 000 elements")


feeds = os.path.join(src, "tests", "data", "feeds")

# --- feeds: single JSON documents ----------------------------------------
kev = read(feeds, "kev", "known_exploited_vulnerabilities.slice.json")
json_damage("feed", "kev", "kev", kev,
            wrong=(b'"vulnerabilities": [', b'"vulnerabilities": 7, "x": ['),
            dup=(b'{', b'"vulnerabilities": [], '),
            huge_array=(b'"vulnerabilities": [', b'"vulnerabilities": [', b'{}', b', '),
            hot=b'"cveID": "')

releases = read(feeds, "kernel-releases", "releases.2020-12-14.excerpt.json")
json_damage("feed", "kernel-releases", "releases", releases,
            wrong=(b'"releases": [', b'"releases": 5, "x": ['),
            dup=(b'{', b'"releases": [], '),
            huge_array=(b'"releases": [', b'"releases": [', b'0', b', '),
            hot=b'"version": "')

tracker = read(feeds, "debian-tracker", "real-entries-renamed.json")
json_damage("feed", "debian-tracker", "tracker", tracker,
            wrong=(b'"releases": {', b'"releases": "x", "y": {'),
            dup=(b'{', b'"runc": {}, '),
            huge_array=(b'"releases": {', b'"releases": [', b'{}', b'], "y": {'),
            hot=b'"fixed_version": "')

osv = read(feeds, "osv", "go", "GO-2024-2491.json")
json_damage("feed", "osv-go", "GO-2024-2491", osv,
            wrong=(b'"affected": [', b'"affected": "none", "x": ['),
            dup=(b'{', b'"id": "GO-2024-9999", '),
            huge_array=(b'"affected": [', b'"affected": [', b'{}', b', '),
            hot=b'"id": "')

kcna_path = os.path.join(feeds, "kernel-cna", "cve", "published", "2019", "CVE-2019-25160.json")
kcna = read(kcna_path)
json_damage("feed", "kernel-cna", "CVE-2019-25160", kcna,
            wrong=(b'"affected": [', b'"affected": {"x": 1}, "y": ['),
            dup=(b'{', b'"dataType": "CVE_RECORD", '),
            huge_array=(b'"affected": [', b'"affected": [', b'{}', b', '),
            hot=b'"cveId": "')

# --- feeds: Atom (RFC 4287) through libxml2 -------------------------------
atom = read(feeds, "releases-atom", "runc.releases.atom")
put("feed", "releases-runc", "runc.empty.atom", b"", "empty file")
tags = [i + 1 for i in range(len(atom)) if atom[i:i + 1] == b">"]
for off in sample(tags[:-1], 8):
    put("feed", "releases-runc", "runc.truncated-at-%d.atom" % off, atom[:off],
        "truncated after the tag ending at byte %d" % off)
t = atom.index(b"<title>") + 7
for tag, bad in (("stray-continuation", b"\x80"), ("overlong-slash", b"\xc0\xaf"),
                 ("surrogate", b"\xed\xa0\x80")):
    put("feed", "releases-runc", "runc.utf8-%s.atom" % tag, atom[:t] + bad + atom[t:],
        "invalid UTF-8 (%s) in a title" % tag.replace("-", " "))
decl_end = atom.index(b"?>") + 2 if atom.startswith(b"<?xml") else 0
laughs = b"".join(b'<!ENTITY l%d "%s">\n' % (i, (b"&l%d;" % (i - 1)) * 10 if i else b"lol")
                  for i in range(10))
put("feed", "releases-runc", "runc.billion-laughs.atom",
    atom[:decl_end] + b"\n<!DOCTYPE feed [\n" + laughs + b"]>\n" +
    atom[decl_end:].replace(b"<title>", b"<title>&l9;", 1),
    "XML entity expansion (billion laughs)")
put("feed", "releases-runc", "runc.external-entity.atom",
    atom[:decl_end] + b'\n<!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n' +
    atom[decl_end:].replace(b"<title>", b"<title>&x;", 1),
    "an external entity (file:///etc/passwd)")
put("feed", "releases-runc", "runc.external-dtd.atom",
    atom[:decl_end] + b'\n<!DOCTYPE feed SYSTEM "http://127.0.0.1:9/feed.dtd">\n' +
    atom[decl_end:], "an external DTD over the network")
put("feed", "releases-runc", "runc.not-atom.atom",
    b'<?xml version="1.0"?>\n<rss version="2.0"><channel></channel></rss>\n',
    "an XML document that is not Atom")


def huge_atom(path):
    with open(path, "wb") as f:
        f.write(atom[:t] + b"A" * (50 << 20) + atom[t:])
put("feed", "releases-runc", "runc.title-50MB.atom", huge_atom, "a 50 MB title")

# --- feeds: archives ------------------------------------------------------
epss_gz = read(feeds, "epss", "epss_scores-current.slice.csv.gz")
epss_csv = read(feeds, "epss", "epss_scores-current.slice.csv")
for off in (10, len(epss_gz) // 2, len(epss_gz) - 4):
    put("feed", "epss", "epss.truncated-at-%d.csv.gz" % off, epss_gz[:off],
        "gzip cut at byte %d" % off)
put("feed", "epss", "epss.bad-crc.csv.gz", epss_gz[:-8] + b"\0\0\0\0" + epss_gz[-4:],
    "gzip with a wrong CRC-32")
put("feed", "epss", "epss.utf8-ff-byte.csv", epss_csv.replace(b"CVE-", b"CVE-\xff", 1),
    "invalid UTF-8 in a row")
put("feed", "epss", "epss.header-only.csv", epss_csv.split(b"\n", 2)[0] + b"\n",
    "the comment line alone, no header")


def gzip_bomb(path):
    # 300 MiB of zeros: over the 256 MiB document cap, about 300 KB packed.
    with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as g:
        block = b"0" * (1 << 20)
        for _ in range(300):
            g.write(block)
put("feed", "epss", "epss.bomb-300MiB.csv.gz", gzip_bomb,
    "a gzip bomb: 300 KB inflating to 300 MiB")

osv_dir = os.path.join(feeds, "osv", "go")


def osv_zip(members):
    b = io.BytesIO()
    with zipfile.ZipFile(b, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    return b.getvalue()


good = [(n, read(osv_dir, n)) for n in sorted(os.listdir(osv_dir)) if n.endswith(".json")][:4]
zdata = osv_zip(good)
for off in (4, 30, len(zdata) // 2, len(zdata) - 30):
    put("feed", "osv-go", "all.truncated-at-%d.zip" % off, zdata[:off],
        "zip cut at byte %d" % off)
put("feed", "osv-go", "all.dotdot-member.zip",
    osv_zip(good[:1] + [("../../etc/" + good[1][0], good[1][1])]),
    "a zip member named ../../etc/...")
put("feed", "osv-go", "all.absolute-member.zip",
    osv_zip(good[:1] + [("/tmp/" + good[1][0], good[1][1])]),
    "a zip member with an absolute path")


def zip_bomb(path):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        info = zipfile.ZipInfo("GO-2024-0000.json", date_time=(2025, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with z.open(info, "w", force_zip64=True) as m:
            block = b" " * (1 << 20)
            for _ in range(300):
                m.write(block)
put("feed", "osv-go", "all.bomb-300MiB.zip", zip_bomb,
    "a zip bomb: a member inflating to 300 MiB")

kcna_dir = os.path.join(feeds, "kernel-cna")


def kcna_tar(extra, compress="gz"):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w:" + compress, format=tarfile.USTAR_FORMAT) as tf:
        for rel in ("cve/published/2019/CVE-2019-25160.json",
                    "cve/published/2019/CVE-2019-25160.dyad"):
            data = read(kcna_dir, rel)
            ti = tarfile.TarInfo("vulns-master/" + rel)
            ti.size, ti.mtime, ti.mode = len(data), 1735689600, 0o644
            tf.addfile(ti, io.BytesIO(data))
        for name, data in extra:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime, ti.mode = len(data), 1735689600, 0o644
            tf.addfile(ti, io.BytesIO(data))
    raw = b.getvalue()
    if compress == "gz":
        # tarfile stamps the gzip header with the clock; make it fixed.
        raw = raw[:4] + b"\0\0\0\0" + raw[8:]
    return raw


tgz = kcna_tar([])
for off in (10, len(tgz) // 2, len(tgz) - 10):
    put("feed", "kernel-cna", "vulns.truncated-at-%d.tar.gz" % off, tgz[:off],
        "tar.gz cut at byte %d" % off)
put("feed", "kernel-cna", "vulns.dotdot-member.tar.gz",
    kcna_tar([("vulns-master/../../cve/published/2019/CVE-2019-0001.json", kcna)]),
    "a tar member named ../..")
put("feed", "kernel-cna", "vulns.absolute-member.tar.gz",
    kcna_tar([("/cve/published/2019/CVE-2019-0001.json", kcna)]),
    "a tar member with an absolute path")
# A ustar header whose size field claims 10 GB (base-256, as GNU tar and
# POSIX pax writers encode sizes over 8 GiB) and then ends: the sparse
# member a tar bomb starts with.
tar_plain = kcna_tar([], compress="")
hdr = bytearray(tarfile.TarInfo("vulns-master/cve/published/2019/CVE-2019-0002.json").tobuf(
    format=tarfile.USTAR_FORMAT))
size = 10 * 1000 ** 3
hdr[124:136] = b"\x80" + size.to_bytes(11, "big")
hdr[148:156] = b"        "
hdr[148:156] = b"%06o\0 " % sum(hdr)
end = tar_plain.rindex(b"\0" * 1024) if tar_plain.endswith(b"\0" * 1024) else len(tar_plain)
while end > 0 and tar_plain[end - 512:end] == b"\0" * 512:
    end -= 512
put("feed", "kernel-cna", "vulns.member-10GB.tar",
    tar_plain[:end] + bytes(hdr) + kcna[:512].ljust(512, b"\0"),
    "a tar member header claiming 10 GB")

# --- host reports (slipway.host-report/1) --------------------------------
reports = os.path.join(src, "tests", "data", "reports")
rep = read(reports, "ubuntu-livepatch-no-engine.json")
json_damage("report", "-", "report", rep,
            wrong=(b'"host": {', b'"host": ["x"], "y": {'),
            dup=(b'"host": {', b'"name": "other-host", '),
            huge_array=(b'"packages": [', b'"packages": [',
                        b'{"name": "p", "version": "1"}', b', '),
            hot=b'"codename": "')
put("report", "-", "report.duplicate-key-escaped.json",
    rep.replace(b'"host": {', b'"host": {"n\\u0061me": "other-host", ', 1),
    "a duplicate key written with a \\u escape")
put("report", "-", "report.wrong-schema.json",
    rep.replace(b'slipway.host-report/1', b'slipway.host-report/9', 1), "an unknown schema")
put("report", "-", "report.control-char.json",
    rep.replace(b'"jammy"', b'"jam\\u0007my"', 1), "a control character in a string")
dock = read(reports, "docker-debian12.json")
put("report", "-", "docker.container-id-number.json",
    dock.replace(b'"Id": "', b'"Id": 12345, "X": "', 1), "a container 'Id' that is a number")
put("report", "-", "docker.truncated-half.json", dock[:len(dock) // 2],
    "a report with an engine, cut in half")

# --- config files (INI) ---------------------------------------------------
readme = read(src, "README.md").decode()
ini = readme.split("```ini\n", 1)[1].split("```", 1)[0].encode()
ini = b"\n".join(l for l in ini.split(b"\n") if not l.startswith(b"database"))
put("config", "-", "conf.no-equals.conf", ini.replace(b"max-down = 5", b"max-down 5", 1),
    "a line without '='")
put("config", "-", "conf.unterminated-section.conf",
    ini.replace(b"[policy]", b"[policy", 1), "an unterminated section header")
put("config", "-", "conf.utf8-ff-byte.conf",
    ini.replace(b"[window sunday-night]", b"[window sunday-\xffnight]", 1),
    "invalid UTF-8 in a section name")
put("config", "-", "conf.nul-byte.conf", ini.replace(b"soak", b"so\0ak", 1),
    "a NUL byte in a key")
put("config", "-", "conf.line-1MB.conf",
    ini.replace(b"max-down = 5", b"max-down = " + b"5" * (1 << 20), 1),
    "a 1 MB line")
put("config", "-", "conf.duplicate-key.conf",
    ini.replace(b"soak = 15m", b"soak = 15m\nsoak = 2h", 1), "a key given twice")
put("config", "-", "conf.duration-word.conf",
    ini.replace(b"soak = 15m", b"soak = fifteen", 1), "a duration that is a word")
put("config", "-", "conf.number-overflow.conf",
    ini.replace(b"max-down = 5", b"max-down = 99999999999999999999", 1),
    "a number past 64 bits")
put("config", "-", "conf.url-http.conf",
    ini.replace(b"url = https://", b"url = http://", 1), "an http:// feed url")
put("config", "-", "conf.url-file.conf",
    ini.replace(b"mirror = http://", b"mirror = file://", 1), "a file:// mirror")
put("config", "-", "conf.binary.conf", gzip.compress(ini, mtime=0), "a gzip file as config")

# --- engine answers (Docker Engine API 1.41, as served) -------------------
edir = os.path.join(samples, "engine", "docker")
for target, doc, wrong, dup in (
        ("version", read(edir, "version.json"), (b'"Version":', b'"Version": 20, "X":'),
         (b'{', b'"ApiVersion": "1.99", ')),
        ("info", read(edir, "info.json"), (b'"KernelVersion":', b'"KernelVersion": [], "X":'),
         (b'{', b'"KernelVersion": "9.9.9", ')),
        ("inspect", read(edir, "containers", "priv-always.json"),
         (b'"State": {', b'"State": "running", "X": {'), (b'{', b'"Name": "/other", ')),
        ("image", read(edir, "images", "127.0.0.1-5000-lab-busybox-1.35.json"),
         (b'"RepoTags": [', b'"RepoTags": 7, "X": ['), (b'{', b'"Os": "plan9", '))):
    put("engine", target, target + ".empty.json", b"", "empty answer")
    for off in sample(boundaries(doc), 4):
        put("engine", target, "%s.truncated-at-%d.json" % (target, off), doc[:off],
            "truncated after the token ending at byte %d" % off)
    put("engine", target, target + ".top-array.json", b"[" + doc + b"]",
        "an array at the top instead of an object")
    put("engine", target, target + ".wrong-type.json", doc.replace(wrong[0], wrong[1], 1),
        "a member of the wrong type")
    put("engine", target, target + ".unclosed-100000.json", b"[" * 100000,
        "100 000 unclosed '['")
    s = first_string_value(doc)
    put("engine", target, target + ".utf8-ff-byte.json", doc[:s] + b"\xff" + doc[s:],
        "invalid UTF-8 in a string")
    i = doc.index(dup[0]) + len(dup[0])
    put("engine", target, target + ".duplicate-key.json", doc[:i] + dup[1] + doc[i:],
        "a duplicate key")
lst = read(edir, "containers-json-all.json")
put("engine", "list", "list.truncated-half.json", lst[:len(lst) // 2], "cut in half")
put("engine", "list", "list.object.json", b'{"Id": "x"}', "an object instead of a list")
put("engine", "list", "list.bad-id.json", lst.replace(b'"Id": "', b'"Id": "../../', 1),
    "a container id with '../'")
put("engine", "list", "list.id-number.json", lst.replace(b'"Id": "', b'"Id": 1, "X": "', 1),
    "a container id that is a number")

with open(os.path.join(out, "MANIFEST"), "w") as f:
    f.write("# kind\ttarget\tfile\twhat (written by make-damaged.py)\n")
    for m in manifest:
        f.write("\t".join(m) + "\n")
print("%d inputs in %s" % (len(manifest), out))
