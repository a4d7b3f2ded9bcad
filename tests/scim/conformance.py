"""Runs the scim2-tester conformance checker against a SCIM server and prints one JSON line per
check: its status, title, resource type and reason. Used by tests/app/scim.rs; installed into
.data/venv by ./dev test.

Usage: conformance.py BASE_URL TOKEN
"""

import json
import sys

from httpx2 import Client
from scim2_client.engines.httpx2 import SyncSCIMClient
from scim2_tester import check_server


def main() -> None:
    base_url, token = sys.argv[1], sys.argv[2]
    http = Client(
        base_url=base_url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    client = SyncSCIMClient(http)
    for result in check_server(client):
        print(
            json.dumps(
                {
                    "status": result.status.name,
                    "title": result.title,
                    "resource_type": result.resource_type,
                    "reason": (result.reason or "")[:500],
                }
            ),
            flush=True,
        )


if __name__ == "__main__":
    main()
