#!/usr/bin/env bash
# Installs every Debian package the build and the tests need, when missing.
# Safe to run again: with everything present it does nothing (no apt-get).
set -eu
pkgs=(
	build-essential pkg-config clang libclang-rt-14-dev
	libcurl4-openssl-dev libjansson-dev libyaml-dev librdkafka-dev libmariadb-dev
	libssl-dev libcriterion-dev
	mandoc python3 python3-jsonschema python3-yaml jq curl valgrind zsh
	mariadb-server mariadb-client kcat openjdk-17-jre-headless maven nginx-light
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# Debian's mariadb-server would start the system service; our stack runs its own.
if [ ! -e /usr/sbin/policy-rc.d ] && [ "$(id -u)" -eq 0 ]; then
	printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d
	trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
