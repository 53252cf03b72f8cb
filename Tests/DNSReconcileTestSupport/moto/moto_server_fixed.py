#!/usr/bin/env python3
"""Runs moto's Route53 emulator on 127.0.0.1, with behaviours corrected to match Route53.

Fixes (each documented at its code): 1 DELETE removes exactly one record set; 2 record-set
listings page through routing-policy groups; 3 GeoProximityLocation is stored and returned;
4 DeleteHealthCheck refuses a check still in use and reports an unknown one; 5 ListHealthChecks
pages; 6 CreateHealthCheck is idempotent on CallerReference; 7 UpdateHealthCheck keeps versions
and honours ResetElements.

Usage: moto_server_fixed.py [PORT]   (PORT 0, the default, picks a free port; the server prints
" * Running on http://127.0.0.1:PORT" as moto_server does).

Written against moto 5.2.1 (route53/models.py, route53/responses.py). Every patch checks that
the moto internals it relies on still exist and refuses to start otherwise, so a moto upgrade
fails loudly instead of silently running the unpatched emulator.
"""
import copy
import os
import signal
import sys
import threading
import time

try:
    import moto.server
    from moto.route53 import models as route53_models
    from moto.route53 import responses as route53_responses
    from moto.route53.exceptions import InvalidInput, Route53ClientError
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


# --- Fix 3: GeoProximityLocation is kept -----------------------------------------------------
#
# Route53: a geoproximity record set carries GeoProximityLocation (AWSRegion, LocalZoneGroup or
# Coordinates{Latitude, Longitude}, and Bias) and ListResourceRecordSets returns it.
#
# moto 5.2.1 parses the element but RecordSet.__init__ never stores it, so the set comes back
# without routing: a geoproximity set reads as a plain one and every pass plans to change it.
#
# The wrapper stores the parsed element as `geo_proximity_location`, the attribute moto's
# model-driven serializer reads for that member, so it is returned in the model's place.

_original_record_set_init = _require(route53_models.RecordSet, "__init__")


def _record_set_init(self, kwargs):
    _original_record_set_init(self, kwargs)
    self.geo_proximity_location = kwargs.get("GeoProximityLocation")


# --- Fix 4: DeleteHealthCheck refuses a check in use, and an unknown one ---------------------
#
# Route53: deleting a health check that a record set or a calculated health check still
# references fails with 400 HealthCheckInUse; deleting an unknown id fails with 404
# NoSuchHealthCheck.
#
# moto 5.2.1 deletes the check either way and answers 200 for an unknown id, so a client that
# deletes a check before moving its record set off it passes against moto and fails on Route53.

_original_delete_health_check = _require(route53_models.Route53Backend, "delete_health_check")
_require(route53_models, "NoSuchHealthCheck")


def _delete_health_check(self, health_check_id):
    if health_check_id not in self.health_checks:
        raise route53_models.NoSuchHealthCheck(health_check_id)
    for zone in self.zones.values():
        for record_set in zone.rrsets:
            if record_set.health_check_id == health_check_id:
                raise Route53ClientError(
                    "HealthCheckInUse",
                    "The health check with id %s is still referenced from resource record set %s (%s)."
                    % (health_check_id, _dotted(record_set.name), record_set.type))
    for parent in self.health_checks.values():
        if health_check_id in (parent.children or []):
            raise Route53ClientError(
                "HealthCheckInUse",
                "The health check with id %s is still referenced from parent health check %s."
                % (health_check_id, parent.id))
    _original_delete_health_check(self, health_check_id)


# --- Fix 5: ListHealthChecks pages ------------------------------------------------------------
#
# Route53: ListHealthChecks returns at most `maxitems` checks (default 100, capped at 1000) with
# Marker (as sent), IsTruncated, MaxItems and, when truncated, NextMarker: the id of the first
# check of the next page, to be sent back as `marker`.
#
# moto 5.2.1 ignores both parameters and returns every check in one page with none of those
# elements, so paging code is never exercised against it.
#
# The replacement lists in creation order (stable between requests). An unknown marker is
# InvalidInput.

_require(route53_responses.Route53, "list_health_checks")


def _response_list_health_checks(self):
    max_items = min(self._get_int_param("MaxItems", 100), 1000)
    marker = self._get_param("Marker")
    checks = list(self.backend.health_checks.values())
    start = 0
    if marker:
        ids = [check.id for check in checks]
        if marker not in ids:
            raise InvalidInput("Invalid marker: %s" % marker)
        start = ids.index(marker)
    end = start + max(max_items, 1)
    result = {
        "HealthChecks": checks[start:end],
        "Marker": marker,
        "IsTruncated": end < len(checks),
        "MaxItems": max_items,
    }
    if end < len(checks):
        result["NextMarker"] = checks[end].id
    return route53_responses.ActionResult(result)


# --- Fix 6: CreateHealthCheck is idempotent on CallerReference -------------------------------
#
# Route53: a CreateHealthCheck with a CallerReference used before and the same settings returns
# the existing check (201); with different settings, or when the check it created has been
# deleted, it fails with 409 HealthCheckAlreadyExists.
#
# moto 5.2.1 creates a new check for every request, so a retried create makes a duplicate there
# and the reuse of a reference goes unnoticed.
#
# References are remembered per backend (so /moto-api/reset forgets them) with the settings of
# their first request.

_original_create_health_check = _require(route53_models.Route53Backend, "create_health_check")


def _create_health_check(self, caller_reference, health_check_args):
    references = self.__dict__.setdefault("_fidelity_caller_references", {})
    known = references.get(caller_reference)
    if known is not None:
        settings, health_check_id = known
        if settings == health_check_args and health_check_id in self.health_checks:
            return self.health_checks[health_check_id]
        raise Route53ClientError(
            "HealthCheckAlreadyExists",
            "A health check with CallerReference %s already exists%s." % (
                caller_reference,
                " with different settings" if health_check_id in self.health_checks else " (it was deleted)"))
    health_check = _original_create_health_check(self, caller_reference, health_check_args)
    references[caller_reference] = (copy.deepcopy(health_check_args), health_check.id)
    return health_check


# --- Fix 7: UpdateHealthCheck keeps versions and honours ResetElements ------------------------
#
# Route53: every update adds 1 to HealthCheckVersion; an update naming another version than the
# current one fails with 409 HealthCheckVersionMismatch; ResetElements (ResourcePath,
# FullyQualifiedDomainName, ChildHealthChecks, Regions) clears those settings; an element left
# out keeps its value.
#
# moto 5.2.1 never changes the version, ignores HealthCheckVersion and ResetElements (a path can
# never be removed), and clears ChildHealthChecks and Regions whenever the request leaves them out.

_require(route53_responses.Route53, "update_health_check")
_require(route53_models.Route53Backend, "update_health_check")
_require(route53_models.Route53Backend, "get_health_check")

_RESETTABLE = {
    "ResourcePath": "resource_path",
    "FullyQualifiedDomainName": "fqdn",
    "ChildHealthChecks": "children",
    "Regions": "regions",
}


def _response_update_health_check(self):
    health_check_id = self._get_param("HealthCheckId")
    health_check = self.backend.get_health_check(health_check_id)
    version = self._get_param("HealthCheckVersion")
    if version is not None and int(version) != health_check.health_check_version:
        raise Route53ClientError(
            "HealthCheckVersionMismatch",
            "The value of HealthCheckVersion in the request (%s) doesn't match the current version (%d)."
            % (version, health_check.health_check_version))
    resets = self._get_param("ResetElements") or []
    for name in resets:
        if name not in _RESETTABLE:
            raise InvalidInput("Invalid ResettableElementName: %s" % name)
    arguments = {
        "ip_address": self._get_param("IPAddress"),
        "port": self._get_param("Port"),
        "resource_path": self._get_param("ResourcePath"),
        "fqdn": self._get_param("FullyQualifiedDomainName"),
        "search_string": self._get_param("SearchString"),
        "failure_threshold": self._get_param("FailureThreshold"),
        "health_threshold": self._get_param("HealthThreshold"),
        "inverted": self._get_param("Inverted"),
        "disabled": self._get_param("Disabled"),
        "enable_sni": self._get_param("EnableSNI"),
        "children": self._get_param("ChildHealthChecks"),
        "regions": self._get_param("Regions"),
    }
    health_check = self.backend.update_health_check(health_check_id, arguments)
    for name in resets:
        setattr(health_check, _RESETTABLE[name], None)
    health_check.health_check_version += 1
    return route53_responses.ActionResult({"HealthCheck": health_check})


def _check_health_check_model():
    """The fixes above read and write these HealthCheck attributes; refuse to run without them."""
    probe = route53_models.HealthCheck("probe", "probe", {"type": "HTTP"})
    for name in ["id", "health_check_version", "children", "regions", "resource_path", "fqdn"]:
        if not hasattr(probe, name):
            sys.stderr.write("moto_server_fixed.py: moto %s HealthCheck has no attribute %s; update the fidelity "
                             "patches\n" % (getattr(moto, "__version__", "?"), name))
            sys.exit(70)


def apply_fixes():
    route53_models.Route53Backend.change_resource_record_sets = _change_resource_record_sets
    route53_models.FakeZone.delete_rrset = _delete_rrset
    route53_models.FakeZone.delete_rrset_by_id = _delete_rrset_by_id
    route53_responses.Route53.list_resource_record_sets = _response_list_resource_record_sets
    _check_health_check_model()
    route53_models.RecordSet.__init__ = _record_set_init
    route53_models.Route53Backend.delete_health_check = _delete_health_check
    route53_responses.Route53.list_health_checks = _response_list_health_checks
    route53_models.Route53Backend.create_health_check = _create_health_check
    route53_responses.Route53.update_health_check = _response_update_health_check


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
