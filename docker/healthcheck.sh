#!/bin/bash
# Container health check: exit 0 when http://127.0.0.1:PORT/PATH answers 200.
#   truthgraph-healthcheck PORT PATH
# Bash and its /dev/tcp only: each check costs a fork and an exec (about a
# millisecond of CPU), where starting Python costs a quarter of a second.
# Docker's --timeout ends a check that hangs; read -t bounds the wait as well.
exec 3<>"/dev/tcp/127.0.0.1/${1:?usage: truthgraph-healthcheck PORT PATH}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "${2:?usage: truthgraph-healthcheck PORT PATH}" >&3
read -r -t 2 _ status _ <&3 || exit 1
[[ $status == 200 ]]
