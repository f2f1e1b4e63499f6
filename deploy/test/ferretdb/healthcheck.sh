#!/bin/bash
# Healthy when FerretDB accepts connections on its port (plain bash: no client in the image).
exec 3<>/dev/tcp/127.0.0.1/27017
