"""The benchmark's desired state and foreign records, generated deterministically.

A zone of size N gets N desired record sets from one cluster's static [endpoint] sections:
40 % A (a third of them with two values), 15 % AAAA, 15 % CNAME, 10 % TXT, 10 % MX, 5 % weighted
and 5 % latency sets (pairs sharing a name, each with a set identifier unique in the zone).
Names are spread over 64 subdomains, `<kind><i>.g<i % 64>.<zone>`.

The "changed" variant updates about 5 % of them (new targets, or a new weight) and drops about
1 %. Besides the cluster's own sets, the zone holds foreign ones (N/20 without an owner and
N/100 with another owner's companion), seeded with UPSERT batches before the first pass.

With a fixed number of endpoints (bench.py --endpoints E), the cluster has E of them whatever the
size, and foreign sets fill the zone up to N record sets: a zone shared with other owners.
"""

OWNER = "bench"
OTHER_OWNER = "someone-else"
MANAGED_TYPES = "A, AAAA, CNAME, TXT, MX"
GROUPS = 64


def _kind(i):
    slot = i % 20
    if slot < 8:
        return "A"
    if slot < 11:
        return "AAAA"
    if slot < 14:
        return "CNAME"
    if slot < 16:
        return "TXT"
    if slot < 18:
        return "MX"
    if slot == 18:
        return "WEIGHTED"
    return "LATENCY"


def is_updated(i):
    """About 5 % of the endpoints change in the "changed" variant."""
    return (i * 2654435761) % 100 < 5


def is_deleted(i):
    """About 1 % of the endpoints disappear in the "changed" variant."""
    return (i * 40503) % 100 == 50


def endpoint(i, zone, changed=False):
    """One endpoint as (section id, [(key, value)]), or None when the variant drops it."""
    if changed and is_deleted(i):
        return None
    bump = 1 if changed and is_updated(i) else 0
    group = "g%d.%s" % (i % GROUPS, zone)
    kind = _kind(i)
    keys = []
    if kind == "A":
        values = ["10.%d.%d.%d" % ((i >> 16) & 255, (i >> 8) & 255, (i + bump) & 255)]
        if i % 3 == 0:
            values.append("10.200.%d.%d" % ((i >> 8) & 255, i & 255))
        keys += [("name", "a%d.%s" % (i, group)), ("targets", ", ".join(values))]
    elif kind == "AAAA":
        keys += [("name", "aaaa%d.%s" % (i, group)), ("type", "AAAA"),
                 ("targets", "2001:db8:%x::%x" % (bump, i))]
    elif kind == "CNAME":
        keys += [("name", "c%d.%s" % (i, group)), ("type", "CNAME"),
                 ("targets", "lb%d.targets.example.net" % (i + bump * 7))]
    elif kind == "TXT":
        keys += [("name", "t%d.%s" % (i, group)), ("type", "TXT"),
                 ("targets", '"\\"bench text %d rev %d\\""' % (i, bump))]
    elif kind == "MX":
        keys += [("name", "m%d.%s" % (i, group)), ("type", "MX"),
                 ("targets", "%d mx%d.example.net" % (10 + bump, i))]
    elif kind == "WEIGHTED":
        # Slots i and i+20 share a name: a weighted pair.
        keys += [("name", "w%d.%s" % (i // 40, "g%d.%s" % ((i // 40) % GROUPS, zone))),
                 ("targets", "10.100.%d.%d" % ((i >> 8) & 255, i & 255)),
                 ("set-identifier", "w%d" % i), ("aws-weight", str(10 + bump))]
    else:
        region = "us-east-1" if (i // 20) % 2 == 0 else "eu-west-1"
        keys += [("name", "l%d.%s" % (i // 40, "g%d.%s" % ((i // 40) % GROUPS, zone))),
                 ("targets", "10.150.%d.%d" % ((i >> 8) & 255, (i + bump) & 255)),
                 ("set-identifier", "l%d" % i), ("aws-region", region)]
    return ("e%d" % i, keys)


def cluster_file(size, zone, endpoint_url, changed=False, rate=1000):
    """The text of the cluster's conf.d file."""
    lines = [
        "[cluster]",
        "name = %s" % OWNER,
        "owner-id = %s" % OWNER,
        "",
        "[registry]",
        "managed-record-types = %s" % MANAGED_TYPES,
        "",
        '[provider "route53"]',
        "domain-filter = %s" % zone,
        "",
        "[aws]",
        "endpoint-url = %s" % endpoint_url,
        # The benchmark measures the client, not the rate limit (5/s would dominate every figure).
        "requests-per-second = %d" % rate,
        "",
    ]
    for i in range(size):
        made = endpoint(i, zone, changed)
        if made is None:
            continue
        section, keys = made
        lines.append('[endpoint "%s"]' % section)
        lines.extend("%s = %s" % pair for pair in keys)
        lines.append("")
    return "\n".join(lines)


def main_file(work, deadline="1h"):
    return "\n".join([
        "[metrics]",
        "textfile-dir = %s/metrics" % work,
        "",
        "[run]",
        "lock-file = %s/dnsreconcile.lock" % work,
        "deadline = %s" % deadline,
        "",
    ])


def _escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _change(action, name, rtype, values, ttl=300):
    records = "".join("<ResourceRecord><Value>%s</Value></ResourceRecord>" % _escape(v) for v in values)
    return ("<Change><Action>%s</Action><ResourceRecordSet><Name>%s</Name><Type>%s</Type><TTL>%d</TTL>"
            "<ResourceRecords>%s</ResourceRecords></ResourceRecordSet></Change>" % (action, name, rtype, ttl, records))


def foreign_changes(size, zone, total=None):
    """UPSERT <Change> elements for the records the cluster does not own: for a zone of `size`,
    or `total` record sets in the same mix (5 in 7 without an owner, the rest in pairs of a set
    and another owner's companion)."""
    plain, owned = (size // 20, size // 100) if total is None else (total * 5 // 7, (total - total * 5 // 7) // 2)
    changes = []
    for i in range(plain):
        changes.append(_change("UPSERT", "f%d.g%d.%s." % (i, i % GROUPS, zone), "A",
                               ["192.0.2.%d" % (i % 250 + 1)]))
    for i in range(owned):
        name = "o%d.g%d.%s" % (i, i % GROUPS, zone)
        changes.append(_change("UPSERT", name + ".", "A", ["198.51.100.%d" % (i % 250 + 1)]))
        label, rest = name.split(".", 1)
        owner = '"heritage=external-dns,external-dns/owner=%s,external-dns/resource=service/x/o%d"' % (OTHER_OWNER, i)
        changes.append(_change("UPSERT", "a-%s.%s." % (label, rest), "TXT", [owner]))
    return changes


def change_batches(changes, per_batch=500):
    """Request bodies of at most `per_batch` changes (500 single-value UPSERTs = 1000 records)."""
    for start in range(0, len(changes), per_batch):
        yield ('<ChangeResourceRecordSetsRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">'
               "<ChangeBatch><Changes>%s</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>"
               % "".join(changes[start:start + per_batch]))


def desired_count(size, changed=False):
    return sum(1 for i in range(size) if not (changed and is_deleted(i)))
