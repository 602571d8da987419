"""Commit-to-Kafka latency of purchase events: reads `<kafka timestamp ms> <payload>` lines
(kcat -f '%T %s\\n') on stdin and prints p50/p99 of timestamp - occurred_at for events whose
payload contains the marker given as argv[1]."""
import datetime
import json
import sys

marker = sys.argv[1]
delays = []
for line in sys.stdin:
    stamp, _, payload = line.partition(" ")
    if marker not in payload:
        continue
    event = json.loads(payload)
    occurred = datetime.datetime.fromisoformat(event["occurred_at"].replace("Z", "+00:00"))
    delays.append(int(stamp) - occurred.timestamp() * 1000)
delays.sort()
if not delays:
    print("event_latency: no events found")
    sys.exit(1)
pick = lambda p: delays[min(len(delays) - 1, int(p / 100 * (len(delays) - 1) + 0.5))]
print(f"event_latency events={len(delays)} p50={pick(50):.0f}ms p99={pick(99):.0f}ms max={delays[-1]:.0f}ms")
