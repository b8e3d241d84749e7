# The experiment store's everyday questions (man 5 sentio-store), as make goals:
#   make runs [DB=experiments.db] [N=10]   the last N runs with their accuracy
#   make best-runs [DB=...]                the best run per dataset and architecture
#   make diff-runs A=ID B=ID [DB=...]      two runs side by side: the parameters that differ
DB ?= experiments.db
N ?= 10
STORE_SQL = sqlite3 -header -column
.PHONY: runs best-runs diff-runs store-exists

store-exists:
	@command -v sqlite3 >/dev/null || { echo "sentio: these goals need the sqlite3 command (apt-get install sqlite3)" >&2; exit 1; }
	@test -f '$(DB)' || { echo "sentio: no store '$(DB)' (set DB=FILE)" >&2; exit 1; }

runs: store-exists
	@$(STORE_SQL) -cmd '.param set :n $(N)' '$(DB)' < pipelines/queries/last-runs.sql

best-runs: store-exists
	@$(STORE_SQL) '$(DB)' < pipelines/queries/best-runs.sql

diff-runs: store-exists
	@test -n '$(A)' && test -n '$(B)' || { echo "sentio: give the two runs: make diff-runs A=ID B=ID" >&2; exit 1; }
	@for id in '$(A)' '$(B)'; do \
	  case $$id in ''|*[!0-9]*) echo "sentio: run ids are numbers: '$$id'" >&2; exit 1 ;; esac; \
	  [ "$$(sqlite3 -readonly '$(DB)' "SELECT count(*) FROM runs WHERE id = $$id")" = 1 ] || \
	    { echo "sentio: no run $$id in $(DB) (make runs lists them)" >&2; exit 1; }; \
	done
	@$(STORE_SQL) -cmd '.param set :a $(A)' -cmd '.param set :b $(B)' '$(DB)' < pipelines/queries/diff-runs.sql
