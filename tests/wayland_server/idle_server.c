/*
 * A Wayland server on the real libwayland-server that offers wl_seat and
 * ext_idle_notifier_v1, and fires idled/resumed when told on stdin. For the tests
 * of breakd's Wayland idle source (tests/adapters/test_idle_wayland_server.py):
 * libwayland checks every message a client sends against the protocol's XML
 * (through the code wayland-scanner generates from it) and refuses one that differs.
 *
 * Usage: idle_server SOCKET-NAME NOTIFIER-VERSION, with XDG_RUNTIME_DIR set.
 * stdout: "ready", then "<kind> <timeout>" for each notification made (kind "idle"
 * or "input-idle"), "destroyed" for each destroyed, "done <command>" after each
 * command. stdin: "idled" or "resumed" (sent to every notification); EOF ends it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wayland-server.h>
#include "ext-idle-notify-v1-server-protocol.h"

static struct wl_list notifications;
static struct wl_display *display;

static void say(const char *what, const char *detail) {
	printf("%s%s%s\n", what, detail ? " " : "", detail ? detail : "");
	fflush(stdout);
}

static void destroy_resource(struct wl_client *client, struct wl_resource *resource) {
	wl_resource_destroy(resource);
}

static const struct ext_idle_notification_v1_interface notification_requests = {
	.destroy = destroy_resource,
};

static void notification_gone(struct wl_resource *resource) {
	wl_list_remove(wl_resource_get_link(resource));
	say("destroyed", NULL);
}

static void make_notification(struct wl_client *client, struct wl_resource *notifier,
		uint32_t id, uint32_t timeout, const char *kind) {
	struct wl_resource *resource = wl_resource_create(client,
		&ext_idle_notification_v1_interface, wl_resource_get_version(notifier), id);
	if (resource == NULL) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &notification_requests, NULL,
		notification_gone);
	wl_list_insert(&notifications, wl_resource_get_link(resource));
	printf("%s %u\n", kind, timeout);
	fflush(stdout);
}

static void get_idle_notification(struct wl_client *client, struct wl_resource *notifier,
		uint32_t id, uint32_t timeout, struct wl_resource *seat) {
	make_notification(client, notifier, id, timeout, "idle");
}

static void get_input_idle_notification(struct wl_client *client,
		struct wl_resource *notifier, uint32_t id, uint32_t timeout,
		struct wl_resource *seat) {
	make_notification(client, notifier, id, timeout, "input-idle");
}

static const struct ext_idle_notifier_v1_interface notifier_requests = {
	.destroy = destroy_resource,
	.get_idle_notification = get_idle_notification,
	.get_input_idle_notification = get_input_idle_notification,
};

static void bind_notifier(struct wl_client *client, void *data, uint32_t version,
		uint32_t id) {
	struct wl_resource *resource = wl_resource_create(client,
		&ext_idle_notifier_v1_interface, version, id);
	if (resource == NULL) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &notifier_requests, NULL, NULL);
}

static void no_device(struct wl_client *client, struct wl_resource *seat, uint32_t id) {
	wl_resource_post_error(seat, WL_SEAT_ERROR_MISSING_CAPABILITY, "no input devices");
}

static const struct wl_seat_interface seat_requests = {
	.get_pointer = no_device,
	.get_keyboard = no_device,
	.get_touch = no_device,
	.release = destroy_resource,
};

static void bind_seat(struct wl_client *client, void *data, uint32_t version, uint32_t id) {
	struct wl_resource *resource = wl_resource_create(client, &wl_seat_interface, version, id);
	if (resource == NULL) {
		wl_client_post_no_memory(client);
		return;
	}
	wl_resource_set_implementation(resource, &seat_requests, NULL, NULL);
}

static int command(int fd, uint32_t mask, void *data) {
	char line[64];
	ssize_t got = read(fd, line, sizeof line - 1);
	if (got <= 0) {
		wl_display_terminate(display);
		return 0;
	}
	line[got] = '\0';
	line[strcspn(line, "\n")] = '\0';
	struct wl_resource *resource;
	wl_resource_for_each(resource, &notifications) {
		if (strcmp(line, "idled") == 0)
			ext_idle_notification_v1_send_idled(resource);
		else if (strcmp(line, "resumed") == 0)
			ext_idle_notification_v1_send_resumed(resource);
	}
	wl_display_flush_clients(display);
	say("done", line);
	return 0;
}

int main(int argc, char *argv[]) {
	if (argc != 3) {
		fprintf(stderr, "usage: %s SOCKET-NAME NOTIFIER-VERSION\n", argv[0]);
		return 2;
	}
	wl_list_init(&notifications);
	display = wl_display_create();
	if (display == NULL || wl_display_add_socket(display, argv[1]) != 0) {
		perror("cannot listen");
		return 1;
	}
	wl_global_create(display, &wl_seat_interface, 1, NULL, bind_seat);
	wl_global_create(display, &ext_idle_notifier_v1_interface, atoi(argv[2]), NULL,
		bind_notifier);
	wl_event_loop_add_fd(wl_display_get_event_loop(display), STDIN_FILENO,
		WL_EVENT_READABLE, command, NULL);
	say("ready", NULL);
	wl_display_run(display);
	wl_display_destroy_clients(display);
	wl_display_destroy(display);
	return 0;
}
