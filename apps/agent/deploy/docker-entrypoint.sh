#!/bin/sh
# Enrols once (TASKINBOX_SERVER, TASKINBOX_ENROL_TOKEN, optional TASKINBOX_DEVICE_NAME) when the
# state volume has no identity yet, then runs the agent in the foreground.
set -eu
if [ ! -f "$TASKINBOX_AGENT_STATE_DIR/identity.json" ]; then
  : "${TASKINBOX_SERVER:?set TASKINBOX_SERVER to the taskinbox URL}"
  : "${TASKINBOX_ENROL_TOKEN:?set TASKINBOX_ENROL_TOKEN to an enrolment token}"
  node /opt/taskinbox-agent/taskinbox-agent.js enrol --server "$TASKINBOX_SERVER" --token "$TASKINBOX_ENROL_TOKEN" \
    ${TASKINBOX_DEVICE_NAME:+--name "$TASKINBOX_DEVICE_NAME"}
fi
exec node /opt/taskinbox-agent/taskinbox-agent.js run
