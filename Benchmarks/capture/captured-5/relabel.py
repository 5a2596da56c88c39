import json, sys, os
OUT = os.environ.get("CAPTURE_OUT", "cases")  # the set's case folders (as written by run_case.py)
for n in sys.argv[1:]:
    s = json.load(open("specs/%s.json" % n)); d = os.path.join(OUT, n)
    lab = open(d + "/label.yaml").read().splitlines()
    files = [l for l in lab if l.startswith("files:")][0]
    q = lambda x: json.dumps(x, ensure_ascii=False)
    open(d + "/label.yaml", "w").write("cause: %s\nsymptom: %s\nnotes: %s\n%s\n" % (s["label"]["cause"], s["label"]["symptom"], q(s["label"]["notes"]), files))
    open(d + "/ticket.txt", "w").write(s["ticket"].strip() + "\n")
