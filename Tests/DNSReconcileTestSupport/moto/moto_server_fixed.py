#!/usr/bin/env python3
"""Runs moto's Route53 emulator on 127.0.0.1, with two behaviours corrected to match Route53.

Usage: moto_server_fixed.py [PORT]   (PORT 0, the default, picks a free port; the server prints
" * Running on http://127.0.0.1:PORT" as moto_server does).

Written against moto 5.2.1 (route53/models.py, route53/responses.py). Every patch checks that
the moto internals it relies on still exist and refuses to start otherwise, so a moto upgrade
fails loudly instead of silently running the unpatched emulator.
"""
import os
import signal
import sys
import threading
import time

try:
    import moto.server
    from moto.route53 import models as route53_models
    from moto.route53 import responses as route53_responses
    from moto.route53.exceptions import InvalidInput
except ImportError as error:
    sys.stderr.write("moto is not importable by %s (%s): pip install 'moto[server]'\n" % (sys.executable, error))
    sys.exit(127)


def _require(owner, name):
    if not hasattr(owner, name):
        sys.stderr.write("moto_server_fixed.py: moto %s has no %s.%s; update the fidelity patches\n"
                         % (getattr(moto, "__version__", "?"), owner.__name__, name))
        sys.exit(70)
    return getattr(owner, name)


# --- Fix 1: DELETE removes exactly one record set -------------------------------------------
#
# Route53: a DELETE change names one record set by (Name, Type, SetIdentifier) and removes only
# that set. A DELETE without SetIdentifier removes the set of that name and type that has no
# identifier; it never touches weighted/latency/... members of the same name and type.
#
# moto 5.2.1 instead calls FakeZone.delete_rrset_by_id(set_identifier), which removes every set
# in the zone with that identifier whatever its name or type, and FakeZone.delete_rrset(rrset),
# which removes every set of that name and type, identifier or not.
#
# Backend.change_resource_record_sets calls one of those two methods exactly once per DELETE
# change, in batch order, so the wrapper queues the full key of each DELETE (per thread: the
# server is threaded) and the replaced methods remove exactly the next queued key. Outside a
# batch (CloudFormation paths) they fall back to an exact match on what they were given.

_deletes = threading.local()


def _dotted(name):
    return name if name.endswith(".") else name + "."


def _remove_exactly(zone, name, rtype, set_identifier):
    zone.rrsets = [
        record_set for record_set in zone.rrsets
        if not (_dotted(record_set.name) == _dotted(name) and record_set.type == rtype
                and record_set.set_identifier == set_identifier)
    ]


_original_change = _require(route53_models.Route53Backend, "change_resource_record_sets")
_require(route53_models.FakeZone, "delete_rrset")
_require(route53_models.FakeZone, "delete_rrset_by_id")


def _change_resource_record_sets(self, zoneid, change_list):
    _deletes.queue = [
        (change["ResourceRecordSet"]["Name"], change["ResourceRecordSet"].get("Type"),
         change["ResourceRecordSet"].get("SetIdentifier"))
        for change in change_list if change.get("Action") == "DELETE"
    ]
    try:
        return _original_change(self, zoneid, change_list)
    finally:
        _deletes.queue = None


def _delete_rrset(self, rrset):
    queue = getattr(_deletes, "queue", None)
    if queue:
        _remove_exactly(self, *queue.pop(0))
    else:
        _remove_exactly(self, rrset["Name"], rrset.get("Type"), rrset.get("SetIdentifier"))


def _delete_rrset_by_id(self, set_identifier):
    queue = getattr(_deletes, "queue", None)
    if not queue:
        raise RuntimeError("delete_rrset_by_id outside a ChangeResourceRecordSets batch")
    name, rtype, queued_identifier = queue.pop(0)
    assert queued_identifier == set_identifier, "DELETE queue out of step with moto"
    _remove_exactly(self, name, rtype, set_identifier)


# --- Fix 2: ListResourceRecordSets pages through routing-policy groups ----------------------
#
# Route53: when a page ends inside a group of sets sharing a name and type (weighted, latency,
# failover, geolocation, geoproximity, multivalue), the response carries NextRecordIdentifier,
# and a request with name+type+identifier resumes at that member of the group.
#
# moto 5.2.1 never returns NextRecordIdentifier and ignores the `identifier` parameter, so a
# client that follows the cursor restarts at the first member of the group and loops forever.
#
# The replacement keeps moto's sort order (reversed labels, then type; insertion order inside a
# group, which is stable between requests) and only adds the identifier to the cursor.

_require(route53_models.FakeZone, "get_record_sets")
_require(route53_models, "reverse_domain_name")
_require(route53_models, "validate_domain_name")
_require(route53_responses.Route53, "list_resource_record_sets")


def _backend_list_resource_record_sets(self, zone_id, start_type, start_name, max_items, start_identifier=None):
    if start_name:
        route53_models.validate_domain_name(start_name)
    zone = self.get_hosted_zone(zone_id)
    records = list(zone.get_record_sets(start_type, start_name))
    if start_name and start_type and start_identifier:
        wanted = route53_models.reverse_domain_name(start_name)
        for index, record_set in enumerate(records):
            if route53_models.reverse_domain_name(record_set.name) != wanted or record_set.type != start_type:
                break
            if record_set.set_identifier == start_identifier:
                records = records[index:]
                break
    page = records[:max_items]
    following = records[max_items] if len(records) > max_items else None
    return page, following


def _response_list_resource_record_sets(self):
    zone_id = self._get_param("HostedZoneId")
    start_type = self._get_param("StartRecordType")
    start_name = self._get_param("StartRecordName")
    start_identifier = self._get_param("StartRecordIdentifier")
    max_items = self._get_int_param("MaxItems", 300)
    if start_type and not start_name:
        raise InvalidInput("The input is not valid")
    page, following = _backend_list_resource_record_sets(
        self.backend, zone_id, start_type, start_name, max_items, start_identifier)
    result = {
        "ResourceRecordSets": page,
        "IsTruncated": following is not None,
        "MaxItems": max_items,
    }
    if following is not None:
        result["NextRecordName"] = following.name
        result["NextRecordType"] = following.type
        if following.set_identifier:
            result["NextRecordIdentifier"] = following.set_identifier
    return route53_responses.ActionResult(result)


def apply_fixes():
    route53_models.Route53Backend.change_resource_record_sets = _change_resource_record_sets
    route53_models.FakeZone.delete_rrset = _delete_rrset
    route53_models.FakeZone.delete_rrset_by_id = _delete_rrset_by_id
    route53_responses.Route53.list_resource_record_sets = _response_list_resource_record_sets


def _exit_with_parent():
    """Stops the server when the process that started it dies (a crashed test run)."""
    parent = os.getppid()
    while True:
        time.sleep(1)
        if os.getppid() != parent:
            os._exit(0)


def main(argv):
    port = argv[0] if argv else "0"
    # A child inherits the signal mask of the thread that spawned it, and test runners spawn
    # from worker threads that block SIGTERM; unblocked, `kill` stops the server at once.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    apply_fixes()
    threading.Thread(target=_exit_with_parent, daemon=True).start()
    # Loopback only: the emulator has no authentication.
    moto.server.main(["-H", "127.0.0.1", "-p", port])


if __name__ == "__main__":
    main(sys.argv[1:])
