"""Prepare a worker's SO_REUSEPORT listener to close without resetting a connection.

Node cannot make the system calls this needs, so a reference worker runs this at shutdown with its
listening socket as fd 3; so can any server, in any language (README.md beside this file). It attaches an eBPF program to the socket's
SO_REUSEPORT group (Linux 5.14+, CAP_BPF or root):

- "refuse" (the whole instance stops): the kernel answers every new SYN for the group with a reset, so
  no connection joins an accept queue, while this waits until the worker has accepted what was queued
  (as long as the worker lives, --wait-ms at most) and 2 s after, the worker's time to close its
  listener: nothing is left to reset.
- "migrate" (one worker stops, or another program's listeners share the port): new connections are
  spread as before, and the connections queued on a listener that closes move to one still open, as
  net.ipv4.tcp_migrate_req=1 would do for this group alone.

Refusing is never chosen while a listener of another program (the next instance, say) is in the
group (it is looked for again while this waits), since it would refuse that program's connections too;
and it ends 2 s after this returns whatever happens. Prints one JSON line; on failure one line on stderr and exit code 1.
"""

import ctypes
import json
import os
import socket
import struct
import sys
import time

LISTENER_FD = 3
SYS_BPF = {"x86_64": 321, "aarch64": 280}.get(os.uname().machine)
BPF_PROG_LOAD = 5
BPF_PROG_TYPE_SK_REUSEPORT = 21
BPF_SK_REUSEPORT_SELECT_OR_MIGRATE = 40
SO_ATTACH_REUSEPORT_EBPF = 52
SK_DROP, SK_PASS = 0, 1
BPF_FUNC_KTIME_GET_NS = 5
MIGRATING_SK_OFFSET = 48  # struct sk_reuseport_md: data, data_end, len, eth_protocol, ip_protocol, bind_inany, hash, sk
# The least wait for the accept queue, and how often it is read: a handshake whose SYN was answered before
# the program was attached completes into the queue one round trip later.
LEAST_WAIT_S, POLL_S = 0.01, 0.002
# How long the wait for the accept queue may last at most, unless --wait-ms says (a server passes its own
# grace period: the queue empties as soon as the worker runs, and a busy host can keep a worker from
# running for seconds; with a fixed 3 s the reference lost 620 to 970 connections per stop with its
# workers stopped 3.5 s after the signal).
DEFAULT_WAIT_S = 3.0
# Refusing holds this long past the helper's last renewal: time for the worker to close its listener once
# this returns. Renewed while the helper waits, so it lasts as long as the wait and ends soon after it
# whatever happens (a worker that never closes, another program's listener that joins the group).
REFUSE_TAIL_S, RENEW_EVERY_S = 2.0, 0.5


def fail(message):
    sys.stderr.write(f"{message}\n")
    sys.exit(1)


def insn(code, dst=0, src=0, off=0, imm=0):
    imm = imm - (1 << 32) if imm >= (1 << 31) else imm
    return struct.pack("<BBhi", code, (src << 4) | dst, off, imm)


def program(deadline_ns):
    """SK_DROP for a new connection until the deadline (0: never); SK_PASS otherwise, which lets the
    kernel pick by hash, and for a closing listener's queue move it to another listener."""
    return b"".join(
        [
            insn(0x79, dst=2, src=1, off=MIGRATING_SK_OFFSET),  # r2 = ctx->migrating_sk
            insn(0x55, dst=2, off=6),  # a queued connection being moved: pass
            insn(0x85, imm=BPF_FUNC_KTIME_GET_NS),  # r0 = CLOCK_MONOTONIC, ns
            insn(0x18, dst=1, imm=deadline_ns & 0xFFFFFFFF),  # r1 = deadline (two-slot load)
            insn(0x00, imm=deadline_ns >> 32),
            insn(0x2D, dst=0, src=1, off=2),  # past the deadline: pass
            insn(0xB7, dst=0, imm=SK_DROP),
            insn(0x95),
            insn(0xB7, dst=0, imm=SK_PASS),
            insn(0x95),
        ]
    )


# union bpf_attr for BPF_PROG_LOAD, up to expected_attach_type (include/uapi/linux/bpf.h): prog_type,
# insn_cnt, insns, license, log_level, log_size, log_buf, kern_version, prog_flags, prog_name[16],
# prog_ifindex, expected_attach_type. The kernel reads the size it is given; later fields stay zero.
PROG_LOAD_ATTR = "<IIQQIIQII16sII"
PROG_NAME = b"bustbench_drain"


def prog_load_attr(insn_count, insns_addr, license_addr, log_size, log_addr):
    """The attribute block of BPF_PROG_LOAD for the helper's program (addresses of buffers in memory)."""
    return struct.pack(
        PROG_LOAD_ATTR,
        BPF_PROG_TYPE_SK_REUSEPORT,
        insn_count,
        insns_addr,
        license_addr,
        1,
        log_size,
        log_addr,
        0,
        0,
        PROG_NAME,
        0,
        BPF_SK_REUSEPORT_SELECT_OR_MIGRATE,
    )


def load(code):
    libc = ctypes.CDLL(None, use_errno=True)
    insns = ctypes.create_string_buffer(code, len(code))
    license_ = ctypes.create_string_buffer(b"Dual MIT/GPL")
    log = ctypes.create_string_buffer(4096)
    attr = prog_load_attr(
        len(code) // 8, ctypes.addressof(insns), ctypes.addressof(license_), len(log), ctypes.addressof(log)
    )
    buf = ctypes.create_string_buffer(attr, len(attr))
    fd = libc.syscall(SYS_BPF, BPF_PROG_LOAD, buf, len(attr))
    if fd < 0:
        error = os.strerror(ctypes.get_errno())
        detail = log.value.decode(errors="replace").strip().splitlines()
        fail(f"bpf: {error}" + (f" ({detail[-1]})" if detail else ""))
    return fd


def listener_inodes(family, address, port):
    """Inodes of the TCP listeners bound to address:port, from the kernel's socket table (sock_diag),
    which lists listeners alone rather than every connection as /proc/net/tcp does."""
    NETLINK_SOCK_DIAG, SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST, NLM_F_DUMP = 4, 20, 1, 0x300
    NLMSG_DONE, NLMSG_ERROR, TCP_LISTEN = 3, 2, 10
    request = struct.pack("<BBBBI", family, socket.IPPROTO_TCP, 0, 0, 1 << TCP_LISTEN) + bytes(48)
    header = struct.pack("<IHHII", 16 + len(request), SOCK_DIAG_BY_FAMILY, NLM_F_REQUEST | NLM_F_DUMP, 1, 0)
    packed = socket.inet_pton(family, address)
    inodes = []
    with socket.socket(socket.AF_NETLINK, socket.SOCK_DGRAM, NETLINK_SOCK_DIAG) as nl:
        nl.sendall(header + request)
        while True:
            data = nl.recv(65536)
            offset = 0
            while offset < len(data):
                length, kind = struct.unpack_from("<IH", data, offset)
                if kind == NLMSG_DONE:
                    return inodes
                if kind == NLMSG_ERROR:
                    fail("sock_diag: error reply")
                body = offset + 16
                sport = struct.unpack_from(">H", data, body + 4)[0]
                src = data[body + 8 : body + 8 + len(packed)]
                inode = struct.unpack_from("<I", data, body + 68)[0]
                if sport == port and src == packed:
                    inodes.append(inode)
                offset += (length + 3) & ~3


def environ_has(pid, entry):
    """Whether the process's initial environment holds NAME=VALUE exactly (False if unreadable)."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as environ:
            return entry in environ.read().split(b"\0")
    except OSError:
        return False


def instance_inodes(siblings_env):
    """Socket inodes held by this worker and its siblings, the other workers of the instance.

    Siblings are the children of the worker's parent: its primary, or, once the primary is gone, the
    reaper that adopted the orphans (init, systemd, a supervisor). A reaper has other children too,
    the next instance of the server among them, so with siblings_env a sibling must also carry this
    process's value of that environment variable (the primary gives each of its workers one of its
    own); without it every child of the parent counts, and the parent itself.
    """
    worker = os.getppid()
    with open(f"/proc/{worker}/stat") as stat:
        parent = int(stat.read().rsplit(")", 1)[1].split()[1])
    pids = {worker}
    children = set()
    for task in os.listdir(f"/proc/{parent}/task"):
        with open(f"/proc/{parent}/task/{task}/children") as listed:
            children.update(int(pid) for pid in listed.read().split())
    if siblings_env:
        entry = f"{siblings_env}={os.environ.get(siblings_env, '')}".encode()
        pids.update(pid for pid in children if environ_has(pid, entry))
    else:
        pids.update(children | {parent})
    inodes = set()
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(int(target[8:-1]))
        except OSError:
            pass  # a worker that exited meanwhile holds nothing any more
    return inodes


def accept_queue(listener):
    """Connections waiting in the listener's accept queue (tcp_info.tcpi_unacked for a listener)."""
    info = listener.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 104)
    return struct.unpack_from("<I", info, 24)[0]


USAGE = "usage: drain-listener.py refuse|migrate [--siblings-env NAME | --alone] [--wait-ms N], with the listening socket as fd 3"


def parse_args(args):
    """(mode, siblings_env, alone, wait_s) from the command line, or exit with the usage line."""
    wait_s = DEFAULT_WAIT_S
    if len(args) >= 2 and args[-2] == "--wait-ms":
        try:
            wait_s = int(args[-1]) / 1000
        except ValueError:
            fail(USAGE)
        if wait_s < 0:
            fail(USAGE)
        args = args[:-2]
    siblings_env = None
    alone = len(args) == 2 and args[1] == "--alone"
    if alone:
        pass
    elif len(args) == 3 and args[1] == "--siblings-env":
        siblings_env = args[2]
        if siblings_env not in os.environ:
            fail(f"--siblings-env {siblings_env}: not set in this process's environment")
    elif len(args) != 1:
        fail(USAGE)
    if args[0] not in ("refuse", "migrate"):
        fail(USAGE)
    return args[0], siblings_env, alone, wait_s


def attach(listener, deadline_ns):
    """Loads the program with this deadline (0: never refuse) and makes it the group's."""
    prog = load(program(deadline_ns))
    try:
        listener.setsockopt(socket.SOL_SOCKET, SO_ATTACH_REUSEPORT_EBPF, struct.pack("i", prog))
    finally:
        os.close(prog)  # the group holds the program now


def main():
    mode, siblings_env, alone, wait_s = parse_args(sys.argv[1:])
    if SYS_BPF is None:
        fail(f"bpf: no syscall number for {os.uname().machine}")
    try:
        listener = socket.socket(fileno=LISTENER_FD)
    except OSError as error:
        fail(f"fd {LISTENER_FD} is not the listening socket: {error.strerror}")
    try:
        address, port = listener.getsockname()[:2]
        server = os.getppid()

        def others():
            """Listeners on the port of another program (a server of one process has no siblings)."""
            ours = (set() if alone else instance_inodes(siblings_env)) | {os.fstat(LISTENER_FD).st_ino}
            return sum(1 for inode in listener_inodes(listener.family, address, port) if inode not in ours)

        def refuse_until():
            return time.monotonic_ns() + int(REFUSE_TAIL_S * 1e9)

        found = others() if mode == "refuse" else 0
        if found:
            mode = "migrate"
        attach(listener, refuse_until() if mode == "refuse" else 0)
        attached = renewed = time.monotonic()
        queued = accept_queue(listener)
        if mode == "refuse":
            time.sleep(LEAST_WAIT_S)
            # Until the server has accepted what is queued, for as long as it lives (a server killed at the
            # end of its grace period leaves this holding its listener) and the wait allows.
            while accept_queue(listener) and time.monotonic() - attached < wait_s and os.getppid() == server:
                if time.monotonic() - renewed >= RENEW_EVERY_S:
                    # Another program's listener joined the group (the next instance): refusing would refuse
                    # its connections too; what is queued here moves to it when this listener closes.
                    found = others()
                    if found:
                        mode = "migrate"
                        attach(listener, 0)
                        break
                    attach(listener, refuse_until())
                    renewed = time.monotonic()
                time.sleep(POLL_S)
            if mode == "refuse" and time.monotonic() - renewed >= RENEW_EVERY_S / 2:
                # The server's time to close its listener starts now.
                attach(listener, refuse_until())
        left = accept_queue(listener)
        print(json.dumps({"mode": mode, "others": found, "queued": queued, "left": left}))
    except OSError as error:
        fail(f"{error.strerror or error}")
    finally:
        listener.detach()


if __name__ == "__main__":
    main()
