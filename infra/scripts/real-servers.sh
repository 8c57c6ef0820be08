#!/usr/bin/env bash
# Starts, stops and checks the real servers — the Temporal dev server (SQLite file, web UI) and MinIO — on
# loopback, outside any JVM: for running the worker and the API yourself (an IDE, another terminal, a
# profiler) against real servers. `./trainlayer dev` does the same from inside its JVM; use one or
# the other, they share ports and data.
#   infra/scripts/real-servers.sh start|stop|status
# Data, logs and pid files: ${TRAINLAYER_REAL_HOME:-.trainlayer/dev} (temporal/temporal.db, minio/, logs/).
# Ports: TEMPORAL_PORT 7233, TEMPORAL_UI_PORT 8233, TEMPORAL_HTTP_PORT 7243, TEMPORAL_METRICS_PORT 7235,
# S3_PORT 9000, S3_CONSOLE_PORT 9001. MinIO credentials: MINIO_ROOT_USER / MINIO_ROOT_PASSWORD (default: the
# dev pair trainlayer / trainlayer-dev-secret; never use it beyond loopback).
set -euo pipefail
cd "$(dirname "$0")/../.."
home=${TRAINLAYER_REAL_HOME:-.trainlayer/dev}
temporal_port=${TEMPORAL_PORT:-7233}
ui_port=${TEMPORAL_UI_PORT:-8233}
http_port=${TEMPORAL_HTTP_PORT:-7243}
metrics_port=${TEMPORAL_METRICS_PORT:-7235}
s3_port=${S3_PORT:-9000}
console_port=${S3_CONSOLE_PORT:-9001}

running() {   # running <name>: the pid of a live server started by this script, or nothing
  local pidfile="$home/$1.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then cat "$pidfile"; fi
}

wait_until() {   # wait_until <what> <seconds> <command...>
  local what=$1 seconds=$2; shift 2
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      echo "$what did not answer within ${seconds}s; see $home/logs/" >&2
      return 1
    fi
    sleep 0.5
  done
}

minio_live() {   # MinIO's liveness probe answers 200 (curl when present, else bash's /dev/tcp)
  if command -v curl >/dev/null; then
    curl -sf "http://127.0.0.1:$s3_port/minio/health/live"
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$s3_port" && printf 'GET /minio/health/live HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' >&3 \
      && head -1 <&3 | grep -q ' 200 ')
  fi
}

start() {
  local binaries temporal minio
  binaries=$(bash infra/scripts/build-servers.sh)
  temporal=$(sed -n 's/^temporal=//p' <<<"$binaries")
  minio=$(sed -n 's/^minio=//p' <<<"$binaries")
  mkdir -p "$home/temporal" "$home/minio" "$home/logs"
  if [ -z "$(running minio)" ]; then
    MINIO_ROOT_USER=${MINIO_ROOT_USER:-trainlayer} MINIO_ROOT_PASSWORD=${MINIO_ROOT_PASSWORD:-trainlayer-dev-secret} \
    MINIO_BROWSER=off MINIO_UPDATE=off \
      nohup "$minio" server "$home/minio" --address "127.0.0.1:$s3_port" --console-address "127.0.0.1:$console_port" \
      >>"$home/logs/minio.log" 2>&1 &
    echo $! >"$home/minio.pid"
  fi
  if [ -z "$(running temporal)" ]; then
    nohup "$temporal" server start-dev --ip 127.0.0.1 --port "$temporal_port" --ui-port "$ui_port" \
      --http-port "$http_port" --metrics-port "$metrics_port" --db-filename "$home/temporal/temporal.db" \
      --namespace default --log-level warn >>"$home/logs/temporal.log" 2>&1 &
    echo $! >"$home/temporal.pid"
  fi
  wait_until "MinIO on 127.0.0.1:$s3_port" 60 minio_live
  wait_until "Temporal on 127.0.0.1:$temporal_port" 90 "$temporal" operator cluster health --address "127.0.0.1:$temporal_port"
  echo "Temporal  127.0.0.1:$temporal_port   web UI http://127.0.0.1:$ui_port   (namespace 'default', pid $(running temporal))"
  echo "MinIO     http://127.0.0.1:$s3_port   (pid $(running minio); data in $home/minio)"
  echo "Worker and API: trainlayer.temporal.target=127.0.0.1:$temporal_port trainlayer.store.endpoint=http://127.0.0.1:$s3_port"
  echo "  (with the built-in dev credentials they also need trainlayer.dev-stack=true / TRAINLAYER_DEV_STACK=true: loopback only)"
}

stop() {
  local name pid
  for name in temporal minio; do
    pid=$(running "$name")
    if [ -n "$pid" ]; then
      kill "$pid"
      for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
      echo "$name stopped (pid $pid)"
    fi
    rm -f "$home/$name.pid"
  done
}

status() {
  local name pid rc=0
  for name in temporal minio; do
    pid=$(running "$name")
    if [ -n "$pid" ]; then echo "$name running (pid $pid)"; else echo "$name stopped"; rc=3; fi
  done
  return $rc
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
