#!/bin/bash
# Healthy when HAProxy's own monitor URI answers 200 (plain bash: no HTTP client in the image).
exec 3<>/dev/tcp/127.0.0.1/"${PROXY_LISTEN_PORT:-8080}" || exit 1
printf 'GET /haproxy/healthz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
read -r -t 3 status <&3 || exit 1
[[ "$status" == *" 200 "* ]]
