/* engine_ssh.h - the OpenSSH socket forward behind ssh:// engine URLs:
 * `ssh -nNT -L LOCAL:REMOTE [-l user] [-p port] -- host`, executed with an
 * argv array (never a shell), LOCAL a socket in a private 0700 directory.
 * The user's ssh config and agent apply; SLIPWAY_SSH_CONFIG, when set,
 * names a config file passed with -F (tests use it for a throwaway
 * known_hosts and key). Host keys are checked: BatchMode=yes never asks.
 *
 * URL: ssh://[user@]host[:port][/remote/socket]; the remote socket is
 * /var/run/docker.sock unless the path says otherwise
 * (ssh://host/run/podman/podman.sock).
 *
 * Ownership: engine_ssh_stop() kills that ssh by its pid, waits for it,
 * removes the socket and the directory, and frees. */
#ifndef SLIPWAY_ENGINE_SSH_H
#define SLIPWAY_ENGINE_SSH_H

#include <stdbool.h>

#include "err.h"

struct engine_ssh;

/* Starts the forward (does not wait for it). timeout: seconds, also
 * ssh's ConnectTimeout. */
int engine_ssh_start(struct engine_ssh **out, const char *url, long timeout,
		     struct err *err);
/* 1 when the local socket is there, 0 while waiting, negative when ssh
 * exited (err: "ssh: LAST LINE OF ITS STDERR"). */
int engine_ssh_poll(struct engine_ssh *s, struct err *err);
/* The local socket path. */
const char *engine_ssh_socket(const struct engine_ssh *s);
/* Whether ssh has exited (a transfer over the forward failed because of
 * it); engine_ssh_error() is then its last stderr line. */
bool engine_ssh_failed(struct engine_ssh *s);
const char *engine_ssh_error(struct engine_ssh *s);
/* Tears down. Accepts NULL. */
void engine_ssh_stop(struct engine_ssh *s);

#endif
