/* floor: the end-to-end floor StationGuard's throughput is measured against.
 * Per record it does the least a spool daemon can do: read the file from new/, rename it
 * into cur/, and send one 10-field journal entry with sd_journal_sendv. No parsing, no rules.
 * Usage: floor SPOOLDIR COUNT   (waits until COUNT files were handled, polling new/)
 * Prints: floor: N records in S s = R records/s
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <systemd/sd-journal.h>

static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return t.tv_sec + t.tv_nsec / 1e9; }

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: floor SPOOLDIR COUNT\n"); return 2; }
    const char *spool = argv[1];
    long want = atol(argv[2]), done = 0;
    char newdir[4096], path[8192], dest[8192], buf[65536];
    snprintf(newdir, sizeof newdir, "%s/new", spool);
    double start = 0;
    while (done < want) {
        DIR *d = opendir(newdir);
        if (!d) { perror(newdir); return 1; }
        struct dirent *e;
        int seen = 0;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.') continue;
            if (start == 0) start = now();
            snprintf(path, sizeof path, "%s/new/%s", spool, e->d_name);
            snprintf(dest, sizeof dest, "%s/cur/%s", spool, e->d_name);
            if (rename(path, dest) != 0) continue;
            int fd = open(dest, O_RDONLY | O_NOFOLLOW);
            if (fd < 0) continue;
            ssize_t n = read(fd, buf, sizeof buf);
            close(fd);
            char f[10][256];
            snprintf(f[0], 256, "MESSAGE=record %s read, %zd bytes", e->d_name, n);
            snprintf(f[1], 256, "PRIORITY=4");
            snprintf(f[2], 256, "MESSAGE_ID=0f4c8e3b6a2d4f1e9b7c5a3d1e2f4a6b");
            snprintf(f[3], 256, "SYSLOG_IDENTIFIER=sg-floor");
            snprintf(f[4], 256, "SG_RULE=FLOOR-001");
            snprintf(f[5], 256, "SG_RULESET=floor");
            snprintf(f[6], 256, "SG_SEVERITY=warning");
            snprintf(f[7], 256, "SG_ACTION=WARN");
            snprintf(f[8], 256, "SG_RECORD_ID=%s", e->d_name);
            snprintf(f[9], 256, "SG_SPOOL_FILE=%s", e->d_name);
            struct iovec iov[10];
            for (int i = 0; i < 10; i++) { iov[i].iov_base = f[i]; iov[i].iov_len = strlen(f[i]); }
            sd_journal_sendv(iov, 10);
            done++; seen++;
        }
        closedir(d);
        if (!seen) usleep(1000);
    }
    double s = now() - start;
    printf("floor: %ld records in %.3f s = %.0f records/s\n", done, s, done / s);
    return 0;
}
