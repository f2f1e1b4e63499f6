#!/bin/bash
# Healthy when the monitoring endpoint's /healthz (server and JetStream) answers 200.
# Plain bash: the image has no HTTP client.
exec 3<>/dev/tcp/127.0.0.1/8222 || exit 1
printf 'GET /healthz HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
read -r -t 3 status <&3 || exit 1
[[ "$status" == *" 200 "* ]]
