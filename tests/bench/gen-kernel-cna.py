#!/usr/bin/env python3
"""gen-kernel-cna.py - writes a corpus the size of the real kernel CNA
corpus for the ingest benchmark (tests/bench/ingest-kernel-cna.sh): the
REAL records of tests/data/feeds/kernel-cna-subset/<year>/CVE-*.json (300
of the 14 626 published records of vulns.git, copied from
../shared/samples/feeds/kernel-cna-subset/), replicated round-robin with
new ids until N records exist, laid out as a vulns.git checkout:
OUT/cve/published/<year>/CVE-<year>-<1000000+i>.json. Only the id changes
(cveMetadata.cveId/cveID and the file name); every other byte is the
original record's.

Usage: gen-kernel-cna.py SUBSET_DIR OUT_DIR N"""
import glob
import os
import re
import sys

src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
files = sorted(glob.glob(os.path.join(src, '*', 'CVE-*.json')))
if not files:
    sys.exit('gen-kernel-cna.py: no records in %s' % src)
idpat = re.compile(r'("cveI[dD]"\s*:\s*")CVE-\d+-\d+(")')
docs = []
for f in files:
    with open(f, encoding='utf-8') as fh:
        docs.append((os.path.basename(os.path.dirname(f)), fh.read()))
total = 0
for i in range(n):
    year, doc = docs[i % len(docs)]
    cid = 'CVE-%s-%d' % (year, 1000000 + i)
    out, k = idpat.subn(lambda m: m.group(1) + cid + m.group(2), doc, count=1)
    if k != 1:
        sys.exit('gen-kernel-cna.py: no cveId in a record')
    d = os.path.join(dst, 'cve', 'published', year)
    os.makedirs(d, exist_ok=True)
    data = out.encode('utf-8')
    with open(os.path.join(d, cid + '.json'), 'wb') as fh:
        fh.write(data)
    total += len(data)
print('%d records, %d bytes' % (n, total))
