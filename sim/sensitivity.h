/*
 * sensitivity.h -- how robust a comparison's ranking is to the host's costs: the analysis of
 * `vnodesim sensitivity` (cmd_sensitivity.c runs the comparisons) and its outputs.
 *
 * A setting is the baseline (the scenario's own [host] costs) or one [host] cost (a key
 * run_host_cost knows) multiplied by one factor, every other key at its baseline.  Each run
 * setting is a comparison directory (compare.h's summary.csv); its policies are ranked by the
 * total IOPS of their `all` rows.  Two policies' order is decided when their difference
 * exceeds the rule: with several seeds, the sum of their 95% confidence intervals (the
 * intervals do not overlap); with one seed, THRESHOLD times the larger of the two.  A flip is
 * a pair decided both at baseline and in the setting, the other way round.
 *
 * sensitivity.csv (RFC 4180, csv.h), one row per setting and policy, baseline first, then the
 * settings in the order of [host]'s key table and of --factors:
 *   scenario,key,factor,value,baseline_value,status,policy,iops,iops_ci95,rank,
 *   baseline_iops,baseline_rank,vs_serial,baseline_vs_serial,flips
 * key is `baseline` on the baseline's rows (factor 1, values empty); status `ok`, `zero`
 * (0 at baseline: a factor leaves it 0, nothing run) or `out-of-range` (the key refuses the
 * value, nothing run), the last two in one row with an empty policy and figures; rank 1 is
 * the highest IOPS (equal IOPS: the order of the policy list); vs_serial is IOPS over
 * serial's (empty without serial); flips lists, space-separated, the policies whose order
 * against this one flipped.
 */
#ifndef VN_SENSITIVITY_H
#define VN_SENSITIVITY_H

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdbool.h>

enum sens_status { SENS_OK, SENS_ZERO, SENS_RANGE };

struct sens_setting {
	char *key;     /* [host] key; NULL: the baseline */
	double factor; /* 1 for the baseline */
	double base_value, value;
	enum sens_status status;
	char *why;   /* SENS_RANGE: the key's message */
	char *dir;   /* its comparison directory (SENS_OK) */
	GArray *all; /* cmp_read_all's rows (SENS_OK, after the runs) */
};

struct sens {
	char *scenario;  /* scn_name */
	char **policies; /* in the order of the comparison */
	int seeds;
	double threshold;    /* relative, for one seed */
	GPtrArray *settings; /* struct sens_setting *, the baseline first */
};

struct sens *sens_new(const char *scenario, char **policies, int seeds, double threshold);
/* Add a setting (KEY NULL: the baseline); returns it, owned by S. */
struct sens_setting *sens_add(struct sens *s, const char *key, double factor, double base_value,
                              double value);
void sens_free(struct sens *s);

/* The order of policies A and B in ALL (cmp_read_all's) under the rule: 1 when A is ahead,
 * -1 when B is, 0 when undecided (or one is absent). */
int sens_order(const struct sens *s, const GArray *all, const char *a, const char *b);

/* The outputs, from the settings' ALL rows: sensitivity.csv (g_free it), sensitivity.json's
 * tree (json_node_unref it; out_write_json writes it) and the table printed on stdout.
 * NFLIPS: settings with at least one flip. */
char *sens_csv(const struct sens *s);
JsonNode *sens_json(const struct sens *s);
void sens_print(const struct sens *s, FILE *f, int *nflips);

/* A <section> of the report page from DIR/sensitivity.csv (TEXT, read from PATH), appended
 * to H; false when TEXT is not such a file. */
bool sens_report_section(GString *h, const char *text);

#endif
