-- Extensions and text search configurations the schema relies on. Works on PostgreSQL >= 15 (trusted
-- extensions, no superuser needed) and on PGlite (the extensions are loaded into the WASM build).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'balie_nl') THEN
    CREATE TEXT SEARCH CONFIGURATION public.balie_nl (COPY = pg_catalog.dutch);
    ALTER TEXT SEARCH CONFIGURATION public.balie_nl ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, dutch_stem;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'balie_en') THEN
    CREATE TEXT SEARCH CONFIGURATION public.balie_en (COPY = pg_catalog.english);
    ALTER TEXT SEARCH CONFIGURATION public.balie_en ALTER MAPPING FOR hword, hword_part, word WITH public.unaccent, english_stem;
  END IF;
END $$;
--> statement-breakpoint
-- unaccent() is only STABLE; this wrapper pins the dictionary so it may be used in generated columns and indexes.
CREATE OR REPLACE FUNCTION public.balie_search_text(input text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, input)) $$;
