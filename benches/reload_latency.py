#!/usr/bin/env python3
"""Time from saving a service's file to `signpost serve` sending the reload event,
and to the page being served with the change, measured from outside.

Usage: benches/reload_latency.py [--root SITE] [--service SLUG] [--area AREA] [--runs N]
Works on a copy of the site in a temporary folder; the site itself is not touched.
"""
import argparse, http.client, os, re, shutil, socket, statistics, subprocess, sys, tempfile, time

def main():
    here = os.path.dirname(os.path.abspath(__file__))
    p = argparse.ArgumentParser()
    p.add_argument("--root", default=os.path.join(here, ".."))
    p.add_argument("--binary", default=os.path.join(here, "..", "target", "release", "signpost"))
    p.add_argument("--service", default="national-domestic-abuse-helpline")
    p.add_argument("--area", default="essex")
    p.add_argument("--runs", type=int, default=10)
    a = p.parse_args()
    work = tempfile.mkdtemp(prefix="signpost-reload-")
    try:
        shutil.copytree(os.path.join(a.root, "content"), os.path.join(work, "content"))
        if os.path.isdir(os.path.join(a.root, "themes")):
            shutil.copytree(os.path.join(a.root, "themes"), os.path.join(work, "themes"))
        proc = subprocess.Popen([a.binary, "serve", "--port", "0", "--root", work],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            port = int(re.search(r"127\.0\.0\.1:(\d+)", proc.stdout.readline()).group(1))
            events = socket.create_connection(("127.0.0.1", port))
            events.sendall(b"GET /__signpost/events HTTP/1.1\r\nHost: x\r\n\r\n")
            events.settimeout(30)
            buf = b""
            while b": connected" not in buf:
                buf += events.recv(4096)
            path = os.path.join(work, "content", "services", a.service + ".md")
            url = f"/{a.area}/services/{a.service}/"
            to_event, to_page = [], []
            for run in range(a.runs):
                marker = f"reload-check-{run}-{time.time_ns()}"
                text = open(path, encoding="utf-8").read()
                text = re.sub(r"\n\S*reload-check-\S*\n", "\n", text) + f"\n{marker}\n"
                start = time.perf_counter()
                with open(path, "w", encoding="utf-8") as f:
                    f.write(text)
                buf = b""
                while b"event: reload" not in buf:
                    buf += events.recv(4096)
                to_event.append((time.perf_counter() - start) * 1000)
                while True:
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    c.request("GET", url)
                    body = c.getresponse().read().decode("utf-8", "replace")
                    if marker in body:
                        break
                    time.sleep(0.005)
                to_page.append((time.perf_counter() - start) * 1000)
                time.sleep(0.3)
                # Drop any event still queued from this save (an editor's save can
                # be two writes, and two rebuilds), so the next run starts clean.
                events.settimeout(0.05)
                try:
                    while events.recv(4096):
                        pass
                except socket.timeout:
                    pass
                events.settimeout(30)
            print(f"save -> reload event: median {statistics.median(to_event):.0f} ms (min {min(to_event):.0f}, max {max(to_event):.0f}) over {a.runs} saves")
            print(f"save -> page served with the change: median {statistics.median(to_page):.0f} ms (min {min(to_page):.0f}, max {max(to_page):.0f})")
        finally:
            proc.kill()
    finally:
        shutil.rmtree(work, ignore_errors=True)

if __name__ == "__main__":
    sys.exit(main())
