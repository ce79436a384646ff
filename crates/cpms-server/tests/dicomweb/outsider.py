"""An outsider's view through dicomweb-client: what the global root finds
and what a record's root answers. Prints JSON.

usage: outsider.py BASE_URL TOKEN PSEUDONYM STUDY_UID
"""

import json
import sys

import requests
from dicomweb_client.api import DICOMwebClient
from requests.exceptions import HTTPError


def main():
    base, token, pseudonym, study_uid = sys.argv[1:5]
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    everything = DICOMwebClient(url=f"{base}/dicomweb", session=session)
    record = DICOMwebClient(url=f"{base}/dicomweb/patients/{pseudonym}", session=session)
    out = {"global_studies": len(everything.search_for_studies())}
    for name, call in [
        ("record_search", lambda: record.search_for_studies()),
        ("study_metadata", lambda: everything.retrieve_study_metadata(study_uid)),
    ]:
        try:
            call()
            out[name] = 200
        except HTTPError as err:
            out[name] = err.response.status_code
    print(json.dumps(out))


if __name__ == "__main__":
    main()
