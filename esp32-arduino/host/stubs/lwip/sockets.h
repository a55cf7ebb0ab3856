#pragma once
// lwIP's BSD socket API has the same names and signatures as POSIX (socket, setsockopt, select, send, recv,
// MSG_DONTWAIT, TCP_KEEPIDLE/KEEPINTVL/KEEPCNT, SO_KEEPALIVE), so the host's headers stand in for it.
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>
