# Shared by scripts/demo.sh and scripts/test.sh: installs what is missing, nothing else.
# Source it from bash; it does not change the caller's shell options.

# Debian packages the build, the tests and the demo need, each with a quick probe that says
# whether it is already there.
DNSRECONCILE_APT_PACKAGES=(
    "pkg-config:command -v pkg-config"
    "libcurl4-openssl-dev:pkg-config --exists libcurl"
    "libxml2-dev:pkg-config --exists libxml-2.0"
    "zlib1g-dev:pkg-config --exists zlib"
    "libyaml-dev:pkg-config --exists yaml-0.1"
    "prometheus:command -v promtool"
    "prometheus-node-exporter:command -v prometheus-node-exporter"
    "python3-pip:python3 -m pip --version"
    "bind9:command -v named"
    "bind9-dnsutils:command -v dig"
    "systemd:command -v systemd-analyze"
    "mandoc:command -v mandoc"
    "strace:command -v strace"
    "python3-venv:python3 -c 'import ensurepip, venv'"
)

# The emulator version the tests and the fidelity patches were written against.
DNSRECONCILE_MOTO="moto[server]==5.2.1"

# The offline Kubernetes manifest validator (its wheel carries the schemas of Kubernetes
# 1.25-1.37), in its own virtualenv under .tmp so it never touches the system Python.
DNSRECONCILE_KUBERNETES_VALIDATE="kubernetes-validate==1.37.0"
DNSRECONCILE_KUBERNETES_VALIDATE_VENV=".tmp/venv-kubernetes-validate"

dnsreconcile_log() { printf '==> %s\n' "$*" >&2; }

# Creates the kubernetes-validate virtualenv when missing (or at another version) and prints
# the path of its kubernetes-validate command.
dnsreconcile_kubernetes_validate() {
    local venv="$DNSRECONCILE_KUBERNETES_VALIDATE_VENV" wanted=${DNSRECONCILE_KUBERNETES_VALIDATE#*==}
    if [ "$("$venv/bin/kubernetes-validate" --version 2>/dev/null | awk '{print $NF}')" != "$wanted" ]; then
        dnsreconcile_log "installing $DNSRECONCILE_KUBERNETES_VALIDATE into $venv"
        rm -rf "$venv"
        python3 -m venv "$venv" >&2
        "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$DNSRECONCILE_KUBERNETES_VALIDATE" >&2
    fi
    printf '%s\n' "$venv/bin/kubernetes-validate"
}

# Installs every missing package with apt-get (after one apt-get update) and moto with pip.
dnsreconcile_install_missing() {
    local missing=() entry package probe
    for entry in "${DNSRECONCILE_APT_PACKAGES[@]}"; do
        package=${entry%%:*}
        probe=${entry#*:}
        # pkg-config probes need pkg-config itself; count the package missing without it.
        if ! bash -c "$probe" >/dev/null 2>&1; then missing+=("$package"); fi
    done
    if [ "${#missing[@]}" -gt 0 ]; then
        dnsreconcile_log "installing ${missing[*]}"
        local sudo=()
        if [ "$(id -u)" -ne 0 ]; then sudo=(sudo); fi
        "${sudo[@]}" apt-get update
        DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
    fi

    if ! command -v moto_server >/dev/null 2>&1 || ! python3 -c 'import moto.server, boto3' >/dev/null 2>&1; then
        dnsreconcile_log "installing $DNSRECONCILE_MOTO"
        # Debian's system Python refuses plain pip installs (PEP 668); on a build machine that
        # only runs these scripts, installing next to it is what we want.
        python3 -m pip install --quiet "$DNSRECONCILE_MOTO" ||
            python3 -m pip install --quiet --break-system-packages "$DNSRECONCILE_MOTO"
        hash -r
    fi
    if ! command -v moto_server >/dev/null 2>&1; then
        dnsreconcile_log "moto_server is installed but not on PATH ($PATH); add pip's script directory to PATH"
        return 1
    fi
}

# Prints a free TCP port on 127.0.0.1.
dnsreconcile_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
