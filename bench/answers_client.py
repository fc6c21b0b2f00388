"""Saves answers as fast as it can from many threads until the server goes away, and records every
save the server acknowledged (200). Used by bench/answers-kill.sh. Usage: answers_client.py LOAD_FILE BASE_URL OUT_FILE [threads]"""
import http.client
import json
import sys
import threading
import time
import urllib.parse

load_file, base_url, out_file = sys.argv[1:4]
thread_count = int(sys.argv[4]) if len(sys.argv) > 4 else 32
students = [line.rstrip("\n").split("\t") for line in open(load_file, encoding="utf-8") if line.strip()]
url = urllib.parse.urlparse(base_url)
base = int(time.time() * 1_000_000)
acknowledged = [dict() for _ in range(thread_count)]
sent = [0] * thread_count


def run(index):
    mine = students[index::thread_count]
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=10)
    counter = 0
    while True:
        counter += 1
        _, token, attempt, questions = mine[counter % len(mine)]
        position = (counter // len(mine)) % int(questions) + 1
        sequence = base + counter
        body = json.dumps({"response": f"answer {sequence}", "sequence": sequence})
        try:
            connection.request("PUT", f"/api/attempts/{attempt}/answers/{position}/", body,
                               {"Authorization": f"Token {token}", "Content-Type": "application/json"})
            response = connection.getresponse()
            response.read()
        except (OSError, http.client.HTTPException):
            return
        sent[index] += 1
        if response.status == 200:
            acknowledged[index][f"{attempt}/{position}"] = sequence


threads = [threading.Thread(target=run, args=(i,)) for i in range(thread_count)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()

merged = {}
for part in acknowledged:
    merged.update(part)
with open(out_file, "w", encoding="utf-8") as out:
    json.dump({"sent": sum(sent), "acknowledged": merged}, out)
