"""Scan the shipped case folders (also inside .gz, .tar(.gz), .zip) for paths of the capture machine.
usage: checkpaths.py [CASES_DIR]   (default: $CAPTURE_OUT or cases/)"""
import os, gzip, tarfile, zipfile, io, re, sys
BAD = re.compile(rb"/(?:work|root|tmp)/|captured-work|\.pyenv|staging|bash_jobs")
def scan(name, data):
    if name.endswith(".gz") and not name.endswith(".tar.gz"):
        return scan(name[:-3], gzip.decompress(data))
    if name.endswith(".tar") or name.endswith(".tar.gz"):
        with tarfile.open(fileobj=io.BytesIO(data)) as tf:
            for m in tf.getmembers():
                if m.isfile(): scan(name + "!" + m.name, tf.extractfile(m).read())
        return
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for n in zf.namelist(): scan(name + "!" + n, zf.read(n))
        return
    for m in BAD.finditer(data):
        print("BAD", name, data[max(0, m.start()-60):m.end()+40])
        break
ROOT = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("CAPTURE_OUT", "cases")
for root, ds, fs in os.walk(ROOT):
    for f in fs:
        p = os.path.join(root, f); scan(p, open(p, "rb").read())
print("scan done")
