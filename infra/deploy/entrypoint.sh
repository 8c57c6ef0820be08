#!/bin/sh
# `worker`: hosts the workflows and activities. `api`: the HTTP API on :8080.
set -e
case "$1" in
  worker) exec java $JAVA_OPTS -Dai.djl.offline=true -cp "/app/worker/lib/*" dev.trainlayer.worker.WorkerApplication ;;
  api) exec java $JAVA_OPTS -cp "/app/api/lib/*" dev.trainlayer.api.ApiApplication ;;
  *) exec "$@" ;;
esac
