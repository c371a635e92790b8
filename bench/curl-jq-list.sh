#!/usr/bin/env bash
# The script a user would write instead of
#   apikeys list --filter role=editor --sort -expires -o csv
# — the baseline of bench/run.sh's second ratio. Same calls as apikeys: log in, find the
# organization, bind the session to it with the single-use refresh token, list the keys
# (one unpaged GET), then keep the Editors' keys, latest expiry first, as CSV with
# apikeys' default columns. Kept lean on purpose: one jq per answer, no retries, no paging.
#
# Needs APIKEYS_API_URL, APIKEYS_USERNAME and APIKEYS_PASSWORD (plain JSON-safe values).
set -euo pipefail
api="$APIKEYS_API_URL/api/ss/rest/v1"

read -r access refresh < <(
  curl -sSf -X POST -H 'Content-Type: application/json' \
    -d "{\"username\":\"$APIKEYS_USERNAME\",\"password\":\"$APIKEYS_PASSWORD\"}" "$api/authenticate" |
    jq -r '(.result // .) | "\(.accessToken) \(.refreshToken)"')
org=$(curl -sSf -H "Authorization: Bearer $access" "$api/users/self" |
  jq -r '(if has("result") then .result else . end).organizations[0].id')
token=$(curl -sSf -X POST -H 'Content-Type: application/json' \
  -d "{\"refreshToken\":\"$refresh\",\"organizationId\":\"$org\"}" "$api/refresh-token" |
  jq -r '(.result // .).accessToken')

curl -sSf -H "Authorization: Bearer $token" "$api/organizations/$org/api-keys" |
  jq -r '["title","id","creator","created","expires"],
    (if type == "object" then .result else . end
      | map(select(.role == "ORG_EDITOR")) | sort_by(.expirationDate) | reverse | .[]
      | [.title, .id, .createdBy, .creationDate, .expirationDate]) | @csv'
