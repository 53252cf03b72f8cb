#!/usr/bin/env python3
"""The tests' fixed moto launcher, plus indexes that make moto's Route53 scale to 100,000 sets.

Usage: moto_fast.py [PORT]   (as Tests/DNSReconcileTestSupport/moto/moto_server_fixed.py).

moto 5.2.1 does a linear scan of the whole zone or of the zone's change journal for every
CREATE (journal membership), UPSERT (find the set to replace), DELETE (journal check, then a
rebuild of the record list) and sorts the whole zone on every ListResourceRecordSets page. A
50,000-endpoint pass (100,000 sets with their ownership TXTs) then takes moto hours. The patches
below keep every answer moto gives (same checks, same errors, same listing order: sorted by
reversed name then type, insertion order inside equal keys) and replace the scans with
dictionaries and a cached sort, so the benchmark measures the client rather than the emulator.
`bench/run.sh --plain-moto` runs without them.
"""
import bisect
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "Tests", "DNSReconcileTestSupport", "moto"))

import moto_server_fixed as fixed  # noqa: E402  (the path is set up above)
from moto.route53 import models  # noqa: E402


def _journal_key(item):
    return json.dumps(item, sort_keys=True, default=str)


def _journal_index(journal):
    index = journal.__dict__.get("_bench_index")
    if index is None or index[0] != len(journal):
        keys, by_name_type = set(), {}
        for change in journal:
            keys.add(_journal_key(change))
            if change["Action"] in ("CREATE", "UPSERT"):
                rr_set = change["ResourceRecordSet"]
                by_name_type.setdefault((rr_set["Name"], rr_set["Type"]), []).append(rr_set)
        index = [len(journal), keys, by_name_type]
        journal.__dict__["_bench_index"] = index
    return index


_original_append = models.ChangeList.append


def _journal_append(self, item):
    index = _journal_index(self)
    _original_append(self, item)
    index[0] = len(self)
    index[1].add(_journal_key(item))
    if item["Action"] in ("CREATE", "UPSERT"):
        rr_set = item["ResourceRecordSet"]
        index[2].setdefault((rr_set["Name"], rr_set["Type"]), []).append(rr_set)


def _journal_contains(self, item):
    item["ResourceRecordSet"]["Name"] = item["ResourceRecordSet"]["Name"].strip(".")
    return _journal_key(item) in _journal_index(self)[1]


def _journal_has_insert_or_update(self, new_rr_set):
    candidates = _journal_index(self)[2].get((new_rr_set["Name"].strip("."), new_rr_set["Type"]), [])
    for rr_set in candidates:
        if "TTL" in rr_set:
            if rr_set["TTL"] == new_rr_set.get("TTL") and rr_set["ResourceRecords"] == new_rr_set.get("ResourceRecords"):
                return True
        else:
            return True
    return False


# --- The zone: an index by (name, type, set identifier) and a cached sorted listing ----------

def _dotted(name):
    return name if name.endswith(".") else name + "."


def _key(record_set):
    return (_dotted(record_set.name), record_set.type, record_set.set_identifier)


def _zone_state(zone):
    """[rrsets list, its length, index, sorted cache or None], rebuilt if the list changed behind us."""
    state = zone.__dict__.get("_bench_state")
    if state is None or state[0] is not zone.rrsets or state[1] != len(zone.rrsets):
        index = {}
        for record_set in zone.rrsets:
            index.setdefault(_key(record_set), []).append(record_set)
        state = [zone.rrsets, len(zone.rrsets), index, None]
        zone.__dict__["_bench_state"] = state
    return state


def _add_rrset(self, record_set):
    state = _zone_state(self)
    made = models.RecordSet(record_set)
    self.rrsets.append(made)
    state[1] = len(self.rrsets)
    state[2].setdefault(_key(made), []).append(made)
    state[3] = None
    return made


def _upsert_rrset(self, record_set):
    state = _zone_state(self)
    made = models.RecordSet(record_set)
    # moto compares the names as stored (both carry the trailing dot by now).
    existing = [rs for rs in state[2].get(_key(made), []) if rs.name == made.name]
    if existing:
        # Replaced in place: the same list position, as moto's `self.rrsets[i] = new`.
        existing[0].__dict__.clear()
        existing[0].__dict__.update(made.__dict__)
        return existing[0]
    self.rrsets.append(made)
    state[1] = len(self.rrsets)
    state[2].setdefault(_key(made), []).append(made)
    state[3] = None
    return made


def _remove_exactly(zone, name, rtype, set_identifier):
    state = _zone_state(zone)
    gone = state[2].pop((_dotted(name), rtype, set_identifier), [])
    for record_set in gone:
        zone.rrsets.remove(record_set)
    state[1] = len(zone.rrsets)
    if gone:
        state[3] = None


def _get_record_sets(self, start_type, start_name):
    state = _zone_state(self)
    if state[3] is None:
        ordered = sorted(self.rrsets, key=lambda rs: (models.reverse_domain_name(rs.name), rs.type))
        keys = [(models.reverse_domain_name(rs.name), rs.type) for rs in ordered]
        state[3] = (ordered, keys)
    ordered, keys = state[3]
    if not start_name:
        return list(ordered)
    start = bisect.bisect_left(keys, (models.reverse_domain_name(start_name), start_type or ""))
    return ordered[start:]


def apply_speedups():
    models.ChangeList.append = _journal_append
    models.ChangeList.__contains__ = _journal_contains
    models.ChangeList.has_insert_or_update = _journal_has_insert_or_update
    models.FakeZone.add_rrset = _add_rrset
    models.FakeZone.upsert_rrset = _upsert_rrset
    models.FakeZone.get_record_sets = _get_record_sets
    # The fixed launcher's exact DELETE goes through this module-level helper.
    fixed._remove_exactly = _remove_exactly


if __name__ == "__main__":
    apply_speedups()
    fixed.main(sys.argv[1:])
