#!/usr/bin/env bash
# A real one-node SLURM cluster on this machine, for the tests (tests/test_slurm.py) and for
# trying profiles/slurm by hand. Debian/Ubuntu, root, no systemd needed.
#
#   tools/slurm/cluster.sh up       install the packages if missing, start what is not running
#   tools/slurm/cluster.sh status   exit 0 if every daemon is up and the node is idle or busy
#   tools/slurm/cluster.sh env      print the line that points SLURM's commands at this cluster
#   tools/slurm/cluster.sh down     cancel its jobs, stop the daemons it started, remove its state
#
# Daemons: munged, mariadbd (accounting database), slurmdbd, slurmctld and slurmd, each started
# in the foreground of its own session, its pid recorded under $STATE/pids. `down` stops exactly
# those pids (after checking that each still belongs to this cluster), nothing found by name.
# Everything lives under $STATE (default /tmp/cossim-slurm): configuration, munge key and
# socket, spool, database, logs. The daemons use their own ports and munge socket, so a SLURM
# or MariaDB already on the machine is left alone. Every command runs under `timeout`.
set -euo pipefail

STATE=${COSSIM_SLURM_STATE:-/tmp/cossim-slurm}
PORT_BASE=${COSSIM_SLURM_PORT_BASE:-26810}
CTLD_PORT=$((PORT_BASE + 7))
SLURMD_PORT=$((PORT_BASE + 8))
DBD_PORT=$((PORT_BASE + 9))
DB_PORT=$((PORT_BASE + 6))
TEMPLATES=$(cd "$(dirname "$0")" && pwd)
PACKAGES=(slurmctld slurmd slurm-client munge slurmdbd mariadb-server)
BINARIES=(slurmctld slurmd sbatch munged slurmdbd mariadbd mariadb-install-db)
DAEMONS=(munged mariadbd slurmdbd slurmctld slurmd)
export SLURM_CONF=$STATE/etc/slurm.conf
SYSTEM_CONF=/etc/slurm/slurm.conf

say() { echo "cluster.sh: $*" >&2; }
die() { say "$*"; exit 1; }

# The pid this script recorded for daemon $1, if that process is alive and still ours: its
# command line or environment names $STATE (a recycled pid of another program does not).
pid_of() {
    local file=$STATE/pids/$1 pid
    [[ -f $file ]] || return 1
    pid=$(<"$file")
    [[ -d /proc/$pid ]] || return 1
    if tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$STATE" \
        || tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "SLURM_CONF=$SLURM_CONF"; then
        echo "$pid"
    else
        return 1
    fi
}

# Wait up to $1 seconds for the command $2... to succeed.
wait_for() {
    local seconds=$1
    shift
    local deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

# Start daemon $1 as `$2...` in its own session (a Ctrl-C or a killed process group of the caller
# does not reach it), output appended to its log, pid recorded.
start() {
    local name=$1
    shift
    if pid_of "$name" >/dev/null; then
        return 0
    fi
    setsid "$@" >>"$STATE/log/$name.out" 2>&1 </dev/null &
    echo $! >"$STATE/pids/$name"
    say "started $name (pid $!)"
}

install_packages() {
    local missing=()
    for binary in "${BINARIES[@]}"; do
        command -v "$binary" >/dev/null || missing+=("$binary")
    done
    ((${#missing[@]} == 0)) && return 0
    command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get to install them"
    say "installing ${PACKAGES[*]} (missing: ${missing[*]})"
    timeout 180 apt-get update -qq >"$STATE/log/apt.log" 2>&1 || die "apt-get update failed (see $STATE/log/apt.log)"
    DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq --no-install-recommends \
        "${PACKAGES[@]}" >>"$STATE/log/apt.log" 2>&1 || die "apt-get install failed (see $STATE/log/apt.log)"
}

fill() { # template $1 -> file $2
    sed -e "s|@STATE@|$STATE|g" -e "s|@HOST@|$HOST|g" -e "s|@CPUS@|$CPUS|g" -e "s|@MEMORY@|$MEMORY|g" \
        -e "s|@CTLD_PORT@|$CTLD_PORT|g" -e "s|@SLURMD_PORT@|$SLURMD_PORT|g" -e "s|@DBD_PORT@|$DBD_PORT|g" \
        -e "s|@DB_PORT@|$DB_PORT|g" "$1" >"$2"
}

sql() { timeout 20 mariadb --no-defaults --socket="$STATE/run/mysql.sock" -u root -e "$1"; }

node_ready() { [[ $(timeout 10 sinfo -h -n "$HOST" -o %T 2>/dev/null) =~ ^(idle|mixed|allocated) ]]; }

up() {
    [[ $(id -u) == 0 ]] || die "needs root (the daemons run as SlurmUser=root)"
    mkdir -p "$STATE"/{etc,run,pids,log,spool/slurmctld,spool/slurmd,mysql}
    chmod 755 "$STATE"
    install_packages
    HOST=$(hostname -s)
    # CPUs and RealMemory of this machine, as slurmd sees them.
    local node
    node=$(timeout 20 slurmd -C | head -1)
    CPUS=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<<"$node")
    MEMORY=$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<<"$node")
    [[ -n $CPUS && -n $MEMORY ]] || die "cannot read CPUs and RealMemory from 'slurmd -C': $node"
    fill "$TEMPLATES/slurm.conf.in" "$STATE/etc/slurm.conf"
    # SLURM's commands find the cluster through /etc/slurm/slurm.conf, as on a real cluster: a
    # job's own srun cannot be pointed elsewhere (the executor plugin's job step drops SLURM_CONF
    # from the environment). A configuration that is not this cluster's link is never replaced.
    if [[ -e $SYSTEM_CONF || -L $SYSTEM_CONF ]] && [[ $(readlink "$SYSTEM_CONF") != "$SLURM_CONF" ]]; then
        die "$SYSTEM_CONF exists and is not this cluster's; not touching a SLURM set up by someone else"
    fi
    mkdir -p "$(dirname "$SYSTEM_CONF")"
    ln -sfn "$SLURM_CONF" "$SYSTEM_CONF"
    fill "$TEMPLATES/slurmdbd.conf.in" "$STATE/etc/slurmdbd.conf"
    chmod 600 "$STATE/etc/slurmdbd.conf"

    if [[ ! -s $STATE/etc/munge.key ]]; then
        timeout 10 dd if=/dev/urandom of="$STATE/etc/munge.key" bs=1024 count=1 status=none
        chmod 400 "$STATE/etc/munge.key"
    fi
    start munged munged --foreground --force --socket="$STATE/run/munge.socket" \
        --key-file="$STATE/etc/munge.key" --pid-file="$STATE/run/munged.pid" \
        --log-file="$STATE/log/munged.log" --seed-file="$STATE/run/munged.seed"
    wait_for 20 test -S "$STATE/run/munge.socket" || die "munged did not start (see $STATE/log/munged*)"

    if [[ ! -d $STATE/mysql/mysql ]]; then
        timeout 120 mariadb-install-db --no-defaults --user=root --datadir="$STATE/mysql" \
            --auth-root-authentication-method=socket --skip-test-db >"$STATE/log/mariadb-install.log" 2>&1 \
            || die "mariadb-install-db failed (see $STATE/log/mariadb-install.log)"
    fi
    start mariadbd mariadbd --no-defaults --user=root --datadir="$STATE/mysql" \
        --socket="$STATE/run/mysql.sock" --port="$DB_PORT" --bind-address=127.0.0.1 --skip-name-resolve \
        --pid-file="$STATE/run/mariadb.pid" --log-error="$STATE/log/mariadb.log" --innodb-buffer-pool-size=64M
    wait_for 60 sql "SELECT 1" || die "mariadbd did not start (see $STATE/log/mariadb.log)"
    sql "CREATE DATABASE IF NOT EXISTS slurm_acct_db;
         CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY 'slurm';
         GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';"

    start slurmdbd slurmdbd -D
    wait_for 60 timeout 10 sacctmgr -n list cluster || die "slurmdbd did not start (see $STATE/log/slurmdbd.log)"
    # The cluster, an account for the jobs and root as its user (as a site's admins would set up).
    [[ -n $(timeout 10 sacctmgr -n -P list cluster cossim format=cluster) ]] ||
        timeout 10 sacctmgr -i add cluster cossim >/dev/null
    [[ -n $(timeout 10 sacctmgr -n -P list account cossim format=account) ]] ||
        timeout 10 sacctmgr -i add account cossim cluster=cossim description=tests organization=cossim >/dev/null
    [[ -n $(timeout 10 sacctmgr -n -P list assoc where user=root account=cossim format=account) ]] ||
        timeout 10 sacctmgr -i add user root account=cossim defaultaccount=cossim >/dev/null

    start slurmctld slurmctld -D -i -f "$SLURM_CONF"
    wait_for 60 timeout 10 scontrol ping || die "slurmctld did not start (see $STATE/log/slurmctld.log)"
    start slurmd slurmd -D -f "$SLURM_CONF"
    wait_for 60 node_ready || die "node $HOST did not come up (see $STATE/log/slurmd.log, sinfo)"
    say "up: node $HOST, $CPUS CPUs, $MEMORY MB, partition main, account cossim; state in $STATE"
    echo "export SLURM_CONF=$SLURM_CONF"
}

status() {
    local ok=0
    for name in "${DAEMONS[@]}"; do
        if pid=$(pid_of "$name"); then
            say "$name running (pid $pid)"
        else
            say "$name not running"
            ok=1
        fi
    done
    if ((ok == 0)); then
        HOST=$(hostname -s)
        node_ready || { say "node $HOST not idle"; ok=1; }
    fi
    return $ok
}

stop() { # daemon $1: SIGTERM, then SIGKILL after 20 s
    local pid
    pid=$(pid_of "$1") || { rm -f "$STATE/pids/$1"; return 0; }
    kill -TERM "$pid" 2>/dev/null || true
    if ! wait_for 20 test ! -d "/proc/$pid"; then
        say "$1 (pid $pid) ignored SIGTERM; killing it"
        kill -KILL "$pid" 2>/dev/null || true
        wait_for 10 test ! -d "/proc/$pid" || say "$1 (pid $pid) survived SIGKILL"
    fi
    rm -f "$STATE/pids/$1"
    say "stopped $1 (pid $pid)"
}

down() {
    [[ -d $STATE ]] || { say "nothing to tear down ($STATE does not exist)"; return 0; }
    if pid_of slurmctld >/dev/null; then
        local jobs
        jobs=$(timeout 10 squeue -h -o %i 2>/dev/null || true)
        if [[ -n $jobs ]]; then
            # shellcheck disable=SC2086
            timeout 20 scancel $jobs 2>/dev/null || true
            wait_for 30 test -z "$(timeout 10 squeue -h -o %i 2>/dev/null)" || say "jobs still listed: $jobs"
        fi
    fi
    for ((i = ${#DAEMONS[@]} - 1; i >= 0; i--)); do
        stop "${DAEMONS[i]}"
    done
    # Job steps outlive slurmd; those of this cluster carry its SLURM_CONF in their environment.
    for pid in $(pgrep -x slurmstepd || true); do
        if tr '\0' '\n' <"/proc/$pid/environ" 2>/dev/null | grep -qxF "SLURM_CONF=$SLURM_CONF"; then
            kill -KILL "$pid" 2>/dev/null || true
        fi
    done
    if [[ -L $SYSTEM_CONF && $(readlink "$SYSTEM_CONF") == "$SLURM_CONF" ]]; then
        rm -f "$SYSTEM_CONF"
    fi
    rm -rf "$STATE"
    say "down: removed $STATE and the link $SYSTEM_CONF"
}

case ${1:-} in
up) up ;;
down) down ;;
status) status ;;
env) echo "export SLURM_CONF=$SLURM_CONF" ;;
*)
    echo "usage: $0 up|status|env|down   (state: \$COSSIM_SLURM_STATE, default /tmp/cossim-slurm)" >&2
    exit 2
    ;;
esac
