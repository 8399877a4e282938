#ifndef WANXIA_CMOSQUITTO_SHIM_H
#define WANXIA_CMOSQUITTO_SHIM_H
#include <mosquitto.h>
#include <mqtt_protocol.h>
#endif
