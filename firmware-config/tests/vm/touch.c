/* vm-touch: a touch screen for the virtual appliance test (never shipped).
 *
 * qemu's virtio tablet is a pointer: libinput makes no touches of its clicks. This daemon
 * creates one multitouch screen through /dev/uinput (direct, like a USB touch panel) and
 * reads commands, one per line, from the FIFO given as its argument:
 *     tap X Y W H      a finger down at pixel (X, Y) of a W x H screen, held 80 ms, lifted
 *     hold X Y W H MS  the same, held MS milliseconds
 * Started at boot by vm-touch.service (test image only), so the kiosk finds it at start.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/uinput.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define RANGE 32767

static int fd;

static void emit(int type, int code, int value) {
  struct input_event ev;
  memset(&ev, 0, sizeof ev);
  ev.type = type;
  ev.code = code;
  ev.value = value;
  if (write(fd, &ev, sizeof ev) != sizeof ev) perror("vm-touch: write");
}

static void pause_ms(long ms) {
  struct timespec t = {ms / 1000, (ms % 1000) * 1000000L};
  nanosleep(&t, NULL);
}

static void abs_axis(int code, int max, int res) {
  struct uinput_abs_setup a;
  memset(&a, 0, sizeof a);
  a.code = code;
  a.absinfo.maximum = max;
  a.absinfo.resolution = res;
  if (ioctl(fd, UI_ABS_SETUP, &a) < 0) perror("vm-touch: UI_ABS_SETUP");
}

static void touch(double x, double y, double w, double h, long held, int id) {
  int ax = (int)(x * RANGE / w), ay = (int)(y * RANGE / h);
  emit(EV_ABS, ABS_MT_SLOT, 0);
  emit(EV_ABS, ABS_MT_TRACKING_ID, id);
  emit(EV_ABS, ABS_MT_POSITION_X, ax);
  emit(EV_ABS, ABS_MT_POSITION_Y, ay);
  emit(EV_KEY, BTN_TOUCH, 1);
  emit(EV_ABS, ABS_X, ax);
  emit(EV_ABS, ABS_Y, ay);
  emit(EV_SYN, SYN_REPORT, 0);
  pause_ms(held);
  emit(EV_ABS, ABS_MT_TRACKING_ID, -1);
  emit(EV_KEY, BTN_TOUCH, 0);
  emit(EV_SYN, SYN_REPORT, 0);
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: vm-touch FIFO\n");
    return 2;
  }
  fd = open("/dev/uinput", O_WRONLY | O_NONBLOCK);
  if (fd < 0) {
    perror("vm-touch: /dev/uinput");
    return 1;
  }
  ioctl(fd, UI_SET_EVBIT, EV_KEY);
  ioctl(fd, UI_SET_KEYBIT, BTN_TOUCH);
  ioctl(fd, UI_SET_EVBIT, EV_ABS);
  ioctl(fd, UI_SET_PROPBIT, INPUT_PROP_DIRECT);
  /* about 217 x 136 mm: resolution in units per mm */
  abs_axis(ABS_X, RANGE, RANGE / 217);
  abs_axis(ABS_Y, RANGE, RANGE / 136);
  abs_axis(ABS_MT_SLOT, 0, 0);
  abs_axis(ABS_MT_TRACKING_ID, 65535, 0);
  abs_axis(ABS_MT_POSITION_X, RANGE, RANGE / 217);
  abs_axis(ABS_MT_POSITION_Y, RANGE, RANGE / 136);
  struct uinput_setup setup;
  memset(&setup, 0, sizeof setup);
  setup.id.bustype = BUS_USB;
  setup.id.vendor = 0x1234;
  setup.id.product = 0x5678;
  snprintf(setup.name, UINPUT_MAX_NAME_SIZE, "vm-touch screen");
  if (ioctl(fd, UI_DEV_SETUP, &setup) < 0 || ioctl(fd, UI_DEV_CREATE) < 0) {
    perror("vm-touch: create");
    return 1;
  }
  mkfifo(argv[1], 0600);
  int id = 1;
  for (;;) {
    FILE *in = fopen(argv[1], "r");
    if (!in) {
      perror("vm-touch: fifo");
      return 1;
    }
    char line[256];
    while (fgets(line, sizeof line, in)) {
      double x, y, w, h;
      long held = 80;
      if (sscanf(line, "tap %lf %lf %lf %lf", &x, &y, &w, &h) == 4 ||
          sscanf(line, "hold %lf %lf %lf %lf %ld", &x, &y, &w, &h, &held) == 5) {
        touch(x, y, w, h, held, id++);
        printf("vm-touch: %s", line);
        fflush(stdout);
      } else {
        fprintf(stderr, "vm-touch: not understood: %s", line);
      }
    }
    fclose(in);
  }
}
