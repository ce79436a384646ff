"""Drives ERN-CPMS's DICOMweb with dicomweb-client (PyPI), a client not
written here: STOW the given files to a record's root, QIDO-search the
stored study (record root and global root), retrieve series metadata and a
rendered frame. Prints one JSON object for the Rust test to check.

usage: round_trip.py BASE_URL TOKEN PSEUDONYM FILE...
"""

import json
import sys

import pydicom
import requests
from dicomweb_client.api import DICOMwebClient
from requests.exceptions import HTTPError


def client(url, token):
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return DICOMwebClient(url=url, session=session)


def main():
    base, token, pseudonym, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    record = client(f"{base}/dicomweb/patients/{pseudonym}", token)
    everything = client(f"{base}/dicomweb", token)
    out = {}

    datasets = [pydicom.dcmread(f) for f in files]
    out["sent_study_uid"] = str(datasets[0].StudyInstanceUID)
    report = record.store_instances(datasets=datasets)
    out["stored"] = [
        str(item.ReferencedSOPInstanceUID) for item in report.get("ReferencedSOPSequence", [])
    ]

    studies = record.search_for_studies(search_filters={"PatientID": pseudonym})
    out["record_studies"] = [s["0020000D"]["Value"][0] for s in studies]
    out["study_patient_ids"] = [s["00100020"]["Value"][0] for s in studies]
    out["modalities"] = studies[0]["00080061"]["Value"] if studies else []
    found = everything.search_for_studies(search_filters={"ModalitiesInStudy": "CT"})
    out["global_studies"] = [s["0020000D"]["Value"][0] for s in found]
    none = everything.search_for_studies(search_filters={"PatientID": "nobody"})
    out["global_unmatched"] = len(none)

    study_uid = out["record_studies"][0]
    series = record.search_for_series(study_instance_uid=study_uid)
    series_uid = series[0]["0020000E"]["Value"][0]
    out["series_instances"] = series[0]["00201209"]["Value"][0]
    instances = record.search_for_instances(
        study_instance_uid=study_uid, series_instance_uid=series_uid, limit=2, offset=1
    )
    out["paged_instances"] = len(instances)

    metadata = record.retrieve_series_metadata(
        study_instance_uid=study_uid, series_instance_uid=series_uid
    )
    out["metadata_count"] = len(metadata)
    names = [m.get("00100010", {}).get("Value", [{}])[0].get("Alphabetic") for m in metadata]
    out["metadata_patient_names"] = sorted(set(str(n) for n in names))
    out["metadata_text"] = json.dumps(metadata)

    sop_uid = metadata[0]["00080018"]["Value"][0]
    png = record.retrieve_instance_rendered(
        study_instance_uid=study_uid,
        series_instance_uid=series_uid,
        sop_instance_uid=sop_uid,
        media_types=("image/png",),
        params={"window": "40,400,linear"},
    )
    out["png_magic"] = png[:8].hex()
    out["png_width"] = int.from_bytes(png[16:20], "big")
    out["png_height"] = int.from_bytes(png[20:24], "big")

    instance = record.retrieve_instance(
        study_instance_uid=study_uid, series_instance_uid=series_uid, sop_instance_uid=sop_uid
    )
    out["retrieved_patient_id"] = str(instance.PatientID)
    out["retrieved_rows"] = int(instance.Rows)

    try:
        everything.store_instances(datasets=datasets[:1])
        out["global_store"] = "accepted"
    except HTTPError as err:
        out["global_store"] = err.response.status_code
    print(json.dumps(out))


if __name__ == "__main__":
    main()
