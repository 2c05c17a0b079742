import GRDB

/// The catalog's migrations, in order. A migration that has shipped is never edited: a change to
/// the schema is a new migration appended here (see `Storage/catalog.md`).
enum Schema {
  /// The migrations; `fold` makes the text the search index holds (see `Catalog.init`).
  static func migrator(fold: @escaping @Sendable (String) -> String) -> DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1-assets") { db in
      try db.execute(sql: v1)
    }
    migrator.registerMigration("v2-import") { db in
      try db.execute(sql: v2)
    }
    migrator.registerMigration("v3-tags") { db in
      try db.execute(sql: v3)
    }
    migrator.registerMigration("v4-pillars") { db in
      try db.execute(sql: v4)
    }
    migrator.registerMigration("v5-export") { db in
      try db.execute(sql: v5)
    }
    migrator.registerMigration("v6-receive") { db in
      try db.execute(sql: v6)
    }
    migrator.registerMigration("v7-search") { db in
      try db.execute(sql: v7)
      // The index of the assets catalogued before is built after the migrations, by
      // `Catalog.refreshSearchIndex` (v7 built it itself, with the code of its time).
    }
    migrator.registerMigration("v8-videos-stories") { db in
      try db.execute(sql: v8)
    }
    migrator.registerMigration("v9-curation") { db in
      try db.execute(sql: v9)
    }
    migrator.registerMigration("v10-sync-chain") { db in
      try db.execute(sql: v10)
    }
    migrator.registerMigration("v11-metadata-fidelity") { db in
      try db.execute(sql: v11)
    }
    migrator.registerMigration("v12-provenance-once") { db in
      try db.execute(sql: v12)
    }
    migrator.registerMigration("v13-list-order") { db in
      try db.execute(sql: v13)
    }
    migrator.registerMigration("v14-accounts") { db in
      try db.execute(sql: v14)
    }
    migrator.registerMigration("v15-api-tokens") { db in
      try db.execute(sql: v15)
    }
    migrator.registerMigration("v16-display") { db in
      try db.execute(sql: v16)
    }
    migrator.registerMigration("v17-remotes") { db in
      try db.execute(sql: v17)
    }
    migrator.registerMigration("v18-province-accounts") { db in
      try db.execute(sql: v18)
    }
    migrator.registerMigration("v19-national-reads") { db in
      try db.execute(sql: v19)
    }
    migrator.registerMigration("v20-national-facets") { db in
      try db.execute(sql: v20)
    }
    return migrator
  }

  /// The first schema: assets, their texts, provenance, tags and metadata problems.
  static let v1 = """
    CREATE TABLE asset (
      id TEXT PRIMARY KEY NOT NULL
        CHECK (length(id) = 71 AND id GLOB 'sha256:*' AND substr(id, 8) NOT GLOB '*[^0-9a-f]*'),
      kind TEXT NOT NULL CHECK (kind IN ('photo', 'video', 'story')),
      media_type TEXT NOT NULL CHECK (media_type <> ''),
      byte_size INTEGER NOT NULL CHECK (byte_size >= 0),
      width INTEGER CHECK (width > 0),
      height INTEGER CHECK (height > 0),
      orientation INTEGER CHECK (orientation BETWEEN 1 AND 8),
      captured_at TEXT,
      camera_make TEXT,
      camera_model TEXT,
      gps_latitude REAL CHECK (gps_latitude BETWEEN -90 AND 90),
      gps_longitude REAL CHECK (gps_longitude BETWEEN -180 AND 180),
      gps_altitude REAL,
      exposure_time TEXT,
      f_number REAL CHECK (f_number > 0),
      iso INTEGER CHECK (iso > 0),
      focal_length REAL CHECK (focal_length > 0),
      thumbnail_id TEXT
        CHECK (thumbnail_id IS NULL OR (length(thumbnail_id) = 71 AND thumbnail_id GLOB 'sha256:*')),
      added_at TEXT NOT NULL,
      CHECK ((gps_latitude IS NULL) = (gps_longitude IS NULL)),
      CHECK (gps_altitude IS NULL OR gps_latitude IS NOT NULL)
    ) STRICT;

    CREATE TABLE asset_text (
      asset_id TEXT NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
      field TEXT NOT NULL CHECK (field IN (
        'title', 'description', 'keyword', 'creator', 'copyright', 'license', 'usageTerms',
        'credit', 'city', 'state', 'location')),
      language TEXT NOT NULL CHECK (language <> ''),
      position INTEGER NOT NULL CHECK (position >= 0),
      value TEXT NOT NULL CHECK (value <> ''),
      source TEXT NOT NULL CHECK (source IN ('explicit', 'xmp', 'iptc', 'exif', 'png')),
      PRIMARY KEY (asset_id, field, source, language, position)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE provenance (
      id INTEGER PRIMARY KEY,
      asset_id TEXT NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
      added_at TEXT NOT NULL,
      original_path TEXT NOT NULL CHECK (original_path <> ''),
      original_name TEXT NOT NULL CHECK (original_name <> ''),
      operator TEXT NOT NULL CHECK (operator <> '')
    ) STRICT;
    CREATE INDEX provenance_by_asset ON provenance(asset_id);

    CREATE TABLE tag (
      asset_id TEXT NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
      facet TEXT NOT NULL CHECK (facet IN ('pillar', 'language', 'locality')),
      value TEXT NOT NULL CHECK (value <> ''),
      source TEXT NOT NULL
        CHECK (source IN ('explicit', 'sidecar', 'xmp', 'iptc', 'folder', 'gps', 'text')),
      added_at TEXT NOT NULL,
      PRIMARY KEY (asset_id, facet, value, source)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX tag_by_value ON tag(facet, value);

    CREATE TABLE metadata_issue (
      asset_id TEXT NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
      message TEXT NOT NULL CHECK (message <> ''),
      PRIMARY KEY (asset_id, message)
    ) STRICT, WITHOUT ROWID;
    """

  /// Batch imports: the batches, their failures and skips, the file cache that makes re-imports
  /// cheap, provenance linked to its batch and folder, and the `csv` and `sidecar` text sources
  /// (`asset_text` and `tag` are rebuilt because SQLite cannot alter a CHECK constraint).
  static let v2 = """
    CREATE TABLE batch (
      id INTEGER PRIMARY KEY,
      root TEXT NOT NULL CHECK (root <> ''),
      operator TEXT NOT NULL CHECK (operator <> ''),
      started_at TEXT NOT NULL,
      finished_at TEXT,
      added INTEGER NOT NULL DEFAULT 0 CHECK (added >= 0),
      duplicates INTEGER NOT NULL DEFAULT 0 CHECK (duplicates >= 0),
      unchanged INTEGER NOT NULL DEFAULT 0 CHECK (unchanged >= 0),
      skipped INTEGER NOT NULL DEFAULT 0 CHECK (skipped >= 0),
      failed INTEGER NOT NULL DEFAULT 0 CHECK (failed >= 0),
      bytes INTEGER NOT NULL DEFAULT 0 CHECK (bytes >= 0)
    ) STRICT;

    CREATE TABLE batch_failure (
      batch_id INTEGER NOT NULL REFERENCES batch(id) ON DELETE CASCADE,
      path TEXT NOT NULL CHECK (path <> ''),
      reason TEXT NOT NULL CHECK (reason <> ''),
      PRIMARY KEY (batch_id, path)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE batch_skip (
      batch_id INTEGER NOT NULL REFERENCES batch(id) ON DELETE CASCADE,
      reason TEXT NOT NULL CHECK (reason <> ''),
      count INTEGER NOT NULL CHECK (count > 0),
      PRIMARY KEY (batch_id, reason)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE file_cache (
      path BLOB PRIMARY KEY NOT NULL,
      size INTEGER NOT NULL CHECK (size >= 0),
      mtime_ns INTEGER NOT NULL,
      inode INTEGER NOT NULL,
      given_digest TEXT NOT NULL,
      asset_id TEXT NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
      batch_id INTEGER REFERENCES batch(id) ON DELETE SET NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX file_cache_by_asset ON file_cache(asset_id);

    ALTER TABLE provenance ADD COLUMN batch_id INTEGER REFERENCES batch(id) ON DELETE SET NULL;
    ALTER TABLE provenance ADD COLUMN folder TEXT CHECK (folder <> '');

    CREATE TABLE asset_text_v2 (
      asset_id TEXT NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
      field TEXT NOT NULL CHECK (field IN (
        'title', 'description', 'keyword', 'creator', 'copyright', 'license', 'usageTerms',
        'credit', 'city', 'state', 'location')),
      language TEXT NOT NULL CHECK (language <> ''),
      position INTEGER NOT NULL CHECK (position >= 0),
      value TEXT NOT NULL CHECK (value <> ''),
      source TEXT NOT NULL
        CHECK (source IN ('explicit', 'csv', 'sidecar', 'xmp', 'iptc', 'exif', 'png')),
      PRIMARY KEY (asset_id, field, source, language, position)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO asset_text_v2 SELECT * FROM asset_text;
    DROP TABLE asset_text;
    ALTER TABLE asset_text_v2 RENAME TO asset_text;

    CREATE TABLE tag_v2 (
      asset_id TEXT NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
      facet TEXT NOT NULL CHECK (facet IN ('pillar', 'language', 'locality')),
      value TEXT NOT NULL CHECK (value <> ''),
      source TEXT NOT NULL
        CHECK (source IN ('explicit', 'csv', 'sidecar', 'xmp', 'iptc', 'folder', 'gps', 'text')),
      added_at TEXT NOT NULL,
      PRIMARY KEY (asset_id, facet, value, source)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO tag_v2 SELECT * FROM tag;
    DROP TABLE tag;
    ALTER TABLE tag_v2 RENAME TO tag;
    CREATE INDEX tag_by_value ON tag(facet, value);
    """

  /// Tags as the tagging rules name their sources (`embedded` for XMP and IPTC, `path` for
  /// folder names, `bank-default`), whether a tag is confirmed or only suggested, and a note
  /// (what was stated when a tag was resolved from a name, or a conflict).
  static let v3 = """
    CREATE TABLE tag_v3 (
      asset_id TEXT NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
      facet TEXT NOT NULL CHECK (facet IN ('pillar', 'language', 'locality')),
      value TEXT NOT NULL CHECK (value <> ''),
      source TEXT NOT NULL CHECK (source IN (
        'explicit', 'csv', 'sidecar', 'embedded', 'gps', 'path', 'text', 'bank-default')),
      confirmed INTEGER NOT NULL CHECK (confirmed IN (0, 1)),
      note TEXT CHECK (note <> ''),
      added_at TEXT NOT NULL,
      PRIMARY KEY (asset_id, facet, value, source)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO tag_v3 (asset_id, facet, value, source, confirmed, note, added_at)
      SELECT asset_id, facet, value,
        CASE source WHEN 'xmp' THEN 'embedded' WHEN 'iptc' THEN 'embedded' WHEN 'folder' THEN 'path'
          ELSE source END,
        CASE WHEN source IN ('folder', 'text') THEN 0 ELSE 1 END, NULL, added_at
      FROM tag WHERE true
      ON CONFLICT DO NOTHING;
    DROP TABLE tag;
    ALTER TABLE tag_v3 RENAME TO tag;
    CREATE INDEX tag_by_value ON tag(facet, value);
    """

  /// The bank's own pillar vocabulary: the national vocabularies it has loaded (`pillars update`)
  /// and its local sub-pillars (`pillars add-local`).
  static let v4 = """
    CREATE TABLE pillar_vocabulary (
      version TEXT PRIMARY KEY NOT NULL CHECK (version GLOB '[0-9][0-9][0-9][0-9].[0-9]*'),
      document BLOB NOT NULL,
      loaded_at TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE local_pillar (
      code TEXT PRIMARY KEY NOT NULL CHECK (code <> ''),
      parent TEXT NOT NULL CHECK (parent <> ''),
      label_vi TEXT NOT NULL CHECK (label_vi <> ''),
      label_en TEXT NOT NULL CHECK (label_en <> ''),
      hints TEXT NOT NULL CHECK (json_valid(hints) AND json_type(hints) = 'array'),
      added_at TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    """

  /// What sync bundles need on the exporting side: a revision per asset that grows with every
  /// change (kept by triggers, so no code path can forget it), retractions, the bundles made for
  /// each destination with the revision of each asset they carried, and the content each
  /// destination holds according to its receipts.
  static let v5 = """
    ALTER TABLE asset ADD COLUMN revision INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1);

    CREATE TABLE retraction (
      asset_id TEXT PRIMARY KEY NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
      reason TEXT NOT NULL CHECK (reason <> ''),
      retracted_at TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE export_bundle (
      destination TEXT NOT NULL CHECK (destination <> '' AND destination NOT GLOB '*[^a-z0-9-]*'),
      sequence INTEGER NOT NULL CHECK (sequence >= 1),
      id TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL CHECK (kind IN ('full', 'incremental')),
      created_at TEXT NOT NULL,
      records INTEGER NOT NULL CHECK (records >= 0),
      objects INTEGER NOT NULL CHECK (objects >= 0),
      bytes INTEGER NOT NULL CHECK (bytes >= 0),
      receipt_applied_at TEXT,
      PRIMARY KEY (destination, sequence)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE export_record (
      destination TEXT NOT NULL,
      sequence INTEGER NOT NULL,
      line INTEGER NOT NULL CHECK (line >= 1),
      asset_id TEXT NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
      revision INTEGER NOT NULL CHECK (revision >= 1),
      op TEXT NOT NULL CHECK (op IN ('upsert', 'retract')),
      outcome TEXT CHECK (outcome IN ('accepted', 'rejected')),
      reason TEXT CHECK (reason <> ''),
      PRIMARY KEY (destination, sequence, asset_id),
      FOREIGN KEY (destination, sequence) REFERENCES export_bundle(destination, sequence) ON DELETE CASCADE
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX export_record_by_asset ON export_record(destination, asset_id, revision);

    CREATE TABLE held_object (
      destination TEXT NOT NULL,
      object_id TEXT NOT NULL CHECK (length(object_id) = 71 AND object_id GLOB 'sha256:*'),
      bundle TEXT NOT NULL,
      PRIMARY KEY (destination, object_id)
    ) STRICT, WITHOUT ROWID;

    CREATE TRIGGER tag_inserted AFTER INSERT ON tag
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = NEW.asset_id; END;
    CREATE TRIGGER tag_updated AFTER UPDATE ON tag
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = NEW.asset_id; END;
    CREATE TRIGGER tag_deleted AFTER DELETE ON tag
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = OLD.asset_id; END;
    CREATE TRIGGER text_inserted AFTER INSERT ON asset_text
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = NEW.asset_id; END;
    CREATE TRIGGER text_updated AFTER UPDATE ON asset_text
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = NEW.asset_id; END;
    CREATE TRIGGER text_deleted AFTER DELETE ON asset_text
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = OLD.asset_id; END;
    CREATE TRIGGER provenance_inserted AFTER INSERT ON provenance
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = NEW.asset_id; END;
    CREATE TRIGGER retraction_inserted AFTER INSERT ON retraction
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = NEW.asset_id; END;
    CREATE TRIGGER retraction_deleted AFTER DELETE ON retraction
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = OLD.asset_id; END;
    """

  /// What receiving sync bundles needs: the banks whose keys this bank trusts, the bundles
  /// received from each, and each source bank's contribution: its record of each asset as it
  /// said it, or its retraction.
  static let v6 = """
    CREATE TABLE trusted_bank (
      bank TEXT PRIMARY KEY NOT NULL CHECK (bank <> '' AND bank NOT GLOB '*[^a-z0-9-]*'),
      key_id TEXT NOT NULL CHECK (key_id GLOB 'ed25519:*'),
      public_key TEXT NOT NULL CHECK (length(public_key) = 44),
      added_at TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE received_bundle (
      source TEXT NOT NULL,
      sequence INTEGER NOT NULL CHECK (sequence >= 1),
      id TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('full', 'incremental')),
      source_bank_id TEXT NOT NULL,
      received_at TEXT NOT NULL,
      accepted INTEGER NOT NULL CHECK (accepted >= 0),
      rejected INTEGER NOT NULL CHECK (rejected >= 0),
      objects INTEGER NOT NULL CHECK (objects >= 0),
      bytes INTEGER NOT NULL CHECK (bytes >= 0),
      PRIMARY KEY (source, sequence)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE contribution (
      source TEXT NOT NULL,
      asset_id TEXT NOT NULL
        CHECK (length(asset_id) = 71 AND asset_id GLOB 'sha256:*' AND substr(asset_id, 8) NOT GLOB '*[^0-9a-f]*'),
      revision INTEGER NOT NULL CHECK (revision >= 1),
      record TEXT CHECK (record IS NULL OR json_valid(record)),
      retraction TEXT CHECK (retraction <> ''),
      bundle TEXT NOT NULL,
      received_at TEXT NOT NULL,
      PRIMARY KEY (source, asset_id),
      CHECK ((record IS NULL) <> (retraction IS NULL))
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX contribution_by_asset ON contribution(asset_id);
    """

  /// Full-text search: one row per asset, whose rowid is the asset's, holding its titles,
  /// descriptions and keywords folded for matching (case, diacritics, `đ` → `d`). The folding is
  /// done by the program (`Catalog.index`), so the index is written by MediaBank only.
  static let v7 = """
    CREATE VIRTUAL TABLE asset_search USING fts5(text, tokenize = 'unicode61 remove_diacritics 0');
    """

  /// Videos and stories: a video's technical facts as asset columns, the texts a video container
  /// (`container`) or a story's own fields (`document`) give, a story's text (searched, never
  /// shown whole), and the links between a story and its translations. `asset_text` is rebuilt
  /// for its new sources, with its revision triggers; the search index gets a second column for
  /// story texts, ranked below titles, descriptions and keywords, and is filled after the
  /// migrations (`search_index_state` says with which version of the indexing); a national bank
  /// gets a search index of the records the provinces contributed (`contribution_search`, its
  /// rowids those of `contribution_search_key`).
  static let v8 = """
    DROP TABLE asset_search;
    CREATE VIRTUAL TABLE asset_search USING fts5(text, body, tokenize = 'unicode61 remove_diacritics 0');
    CREATE TABLE search_index_state (version INTEGER NOT NULL CHECK (version >= 1)) STRICT;
    CREATE TABLE contribution_search_key (
      id INTEGER PRIMARY KEY,
      source TEXT NOT NULL,
      asset_id TEXT NOT NULL,
      UNIQUE (source, asset_id)
    ) STRICT;
    CREATE VIRTUAL TABLE contribution_search USING fts5(text, tokenize = 'unicode61 remove_diacritics 0');

    ALTER TABLE asset ADD COLUMN duration_seconds REAL CHECK (duration_seconds >= 0);
    ALTER TABLE asset ADD COLUMN container TEXT CHECK (container <> '');
    ALTER TABLE asset ADD COLUMN video_codec TEXT CHECK (video_codec <> '');
    ALTER TABLE asset ADD COLUMN frame_rate REAL CHECK (frame_rate > 0);
    ALTER TABLE asset ADD COLUMN bit_rate INTEGER CHECK (bit_rate > 0);
    ALTER TABLE asset ADD COLUMN audio_codec TEXT CHECK (audio_codec <> '');
    ALTER TABLE asset ADD COLUMN audio_channels INTEGER CHECK (audio_channels > 0);
    ALTER TABLE asset ADD COLUMN audio_languages TEXT
      CHECK (audio_languages IS NULL OR (json_valid(audio_languages) AND json_type(audio_languages) = 'array'));
    ALTER TABLE asset ADD COLUMN word_count INTEGER CHECK (word_count >= 0);

    CREATE TABLE asset_text_v8 (
      asset_id TEXT NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
      field TEXT NOT NULL CHECK (field IN (
        'title', 'description', 'keyword', 'creator', 'copyright', 'license', 'usageTerms',
        'credit', 'city', 'state', 'location')),
      language TEXT NOT NULL CHECK (language <> ''),
      position INTEGER NOT NULL CHECK (position >= 0),
      value TEXT NOT NULL CHECK (value <> ''),
      source TEXT NOT NULL CHECK (source IN (
        'explicit', 'csv', 'sidecar', 'xmp', 'iptc', 'exif', 'png', 'container', 'document')),
      PRIMARY KEY (asset_id, field, source, language, position)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO asset_text_v8 SELECT * FROM asset_text;
    DROP TABLE asset_text;
    ALTER TABLE asset_text_v8 RENAME TO asset_text;
    CREATE TRIGGER text_inserted AFTER INSERT ON asset_text
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = NEW.asset_id; END;
    CREATE TRIGGER text_updated AFTER UPDATE ON asset_text
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = NEW.asset_id; END;
    CREATE TRIGGER text_deleted AFTER DELETE ON asset_text
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = OLD.asset_id; END;

    CREATE TABLE story_text (
      asset_id TEXT PRIMARY KEY NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
      body TEXT NOT NULL
    ) STRICT;

    CREATE TABLE translation (
      asset_id TEXT PRIMARY KEY NOT NULL REFERENCES asset(id) ON DELETE CASCADE,
      original_id TEXT REFERENCES asset(id) ON DELETE CASCADE,
      reference TEXT CHECK (reference GLOB 'sha256:[0-9a-f][0-9a-f][0-9a-f][0-9a-f]*'),
      source TEXT NOT NULL CHECK (source IN ('explicit', 'document')),
      added_at TEXT NOT NULL,
      CHECK (asset_id <> original_id),
      CHECK (original_id IS NOT NULL OR (source = 'document' AND reference IS NOT NULL))
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX translation_by_original ON translation(original_id);
    CREATE TRIGGER translation_inserted AFTER INSERT ON translation
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = NEW.asset_id; END;
    CREATE TRIGGER translation_updated AFTER UPDATE ON translation
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = NEW.asset_id; END;
    CREATE TRIGGER translation_deleted AFTER DELETE ON translation
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = OLD.asset_id; END;
    """

  /// Curation: an append-only audit log of every change a person makes (edits, tags, reviews,
  /// retractions, deletions, undone imports), tombstones of deleted assets, the assets each
  /// destination was ever sent (which outlives the assets), the deletions each destination must be
  /// or was told of, the objects a deletion still has to remove from the
  /// store, an explicit capture time beside the file's, the import batch that set a tag, and
  /// what each import was told (its options), so that an undo takes back only what it set.
  static let v9 = """
    CREATE TABLE audit (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      operator TEXT NOT NULL CHECK (operator <> ''),
      asset_id TEXT NOT NULL
        CHECK (length(asset_id) = 71 AND asset_id GLOB 'sha256:*' AND substr(asset_id, 8) NOT GLOB '*[^0-9a-f]*'),
      action TEXT NOT NULL CHECK (action IN (
        'edit', 'tag', 'untag', 'accept', 'reject', 'link', 'unlink', 'retract', 'unretract', 'delete',
        'undo-import', 'restore')),
      field TEXT CHECK (field <> ''),
      old_value TEXT,
      new_value TEXT,
      source TEXT CHECK (source <> ''),
      batch_id INTEGER
    ) STRICT;
    CREATE INDEX audit_by_asset ON audit(asset_id, id);
    CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
      BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

    CREATE TABLE tombstone (
      asset_id TEXT PRIMARY KEY NOT NULL
        CHECK (length(asset_id) = 71 AND asset_id GLOB 'sha256:*' AND substr(asset_id, 8) NOT GLOB '*[^0-9a-f]*'),
      deleted_at TEXT NOT NULL,
      operator TEXT NOT NULL CHECK (operator <> ''),
      reason TEXT NOT NULL CHECK (reason <> ''),
      kind TEXT NOT NULL CHECK (kind IN ('delete', 'undo-import')),
      revision INTEGER NOT NULL CHECK (revision >= 1)
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE sent_asset (
      destination TEXT NOT NULL CHECK (destination <> ''),
      asset_id TEXT NOT NULL CHECK (length(asset_id) = 71 AND asset_id GLOB 'sha256:*'),
      PRIMARY KEY (destination, asset_id)
    ) STRICT, WITHOUT ROWID;
    INSERT INTO sent_asset SELECT DISTINCT destination, asset_id FROM export_record;

    CREATE TABLE deletion_notice (
      destination TEXT NOT NULL CHECK (destination <> ''),
      asset_id TEXT NOT NULL CHECK (length(asset_id) = 71 AND asset_id GLOB 'sha256:*'),
      revision INTEGER NOT NULL CHECK (revision >= 1),
      sequence INTEGER CHECK (sequence >= 1),
      line INTEGER CHECK (line >= 1),
      outcome TEXT CHECK (outcome IN ('accepted', 'rejected')),
      reason TEXT CHECK (reason <> ''),
      PRIMARY KEY (destination, asset_id, revision),
      CHECK ((sequence IS NULL) = (line IS NULL))
    ) STRICT, WITHOUT ROWID;

    CREATE TABLE purge_object (
      object_id TEXT PRIMARY KEY NOT NULL CHECK (length(object_id) = 71 AND object_id GLOB 'sha256:*'),
      queued_at TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;

    ALTER TABLE asset ADD COLUMN captured_at_explicit TEXT CHECK (captured_at_explicit <> '');
    CREATE TRIGGER asset_capture_edited AFTER UPDATE OF captured_at_explicit ON asset
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = NEW.id; END;
    ALTER TABLE tag ADD COLUMN batch_id INTEGER REFERENCES batch(id) ON DELETE SET NULL;
    ALTER TABLE batch ADD COLUMN options TEXT CHECK (options IS NULL OR json_valid(options));
    ALTER TABLE batch ADD COLUMN undone_at TEXT;
    ALTER TABLE batch ADD COLUMN audit_before INTEGER CHECK (audit_before >= 0);
    CREATE TRIGGER provenance_deleted AFTER DELETE ON provenance
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = OLD.asset_id; END;
    CREATE INDEX asset_by_thumbnail ON asset(thumbnail_id) WHERE thumbnail_id IS NOT NULL;
    CREATE INDEX export_record_by_asset_id ON export_record(asset_id);
    CREATE INDEX tag_by_batch ON tag(batch_id) WHERE batch_id IS NOT NULL;
    CREATE INDEX provenance_by_batch ON provenance(batch_id) WHERE batch_id IS NOT NULL;
    CREATE INDEX held_object_by_object ON held_object(object_id);
    CREATE INDEX contribution_by_thumbnail ON contribution(json_extract(record, '$.thumbnail'));
    """

  /// A sync chain that ordinary use cannot break: the signed receipt of every bundle received,
  /// kept so that it can be written again; the records a bundle brought that this bank already
  /// held (`unchanged`, counted, not rejected); and the key rotations of this bank and of the
  /// banks it trusts, each with the statement signed by the old key.
  static let v10 = """
    ALTER TABLE received_bundle ADD COLUMN unchanged INTEGER NOT NULL DEFAULT 0 CHECK (unchanged >= 0);
    ALTER TABLE received_bundle ADD COLUMN receipt TEXT CHECK (receipt IS NULL OR json_valid(receipt));

    CREATE TABLE key_rotation (
      bank TEXT NOT NULL CHECK (bank <> '' AND bank NOT GLOB '*[^a-z0-9-]*'),
      old_key_id TEXT NOT NULL CHECK (old_key_id GLOB 'ed25519:*'),
      new_key_id TEXT NOT NULL CHECK (new_key_id GLOB 'ed25519:*' AND new_key_id <> old_key_id),
      rotated_at TEXT NOT NULL,
      statement TEXT NOT NULL CHECK (statement <> ''),
      recorded_at TEXT NOT NULL,
      bundle TEXT,
      PRIMARY KEY (bank, new_key_id)
    ) STRICT, WITHOUT ROWID;
    """

  /// Metadata as exiftool reads it, and damaged files kept: why a photo's pixels could not be
  /// decoded (the asset is kept with what could be read), where the capture time, the GPS position
  /// and the camera came from (EXIF, XMP, IPTC, a maker block, the container, the document).
  static let v11 = """
    ALTER TABLE asset ADD COLUMN damaged TEXT CHECK (damaged <> '');
    ALTER TABLE asset ADD COLUMN captured_at_source TEXT
      CHECK (captured_at_source IN ('exif', 'xmp', 'iptc', 'picture-info', 'container', 'document'));
    ALTER TABLE asset ADD COLUMN gps_source TEXT CHECK (gps_source IN ('exif', 'xmp', 'container'));
    ALTER TABLE asset ADD COLUMN camera_source TEXT CHECK (camera_source IN ('exif', 'xmp', 'container'));
    CREATE INDEX asset_by_damaged ON asset(damaged) WHERE damaged IS NOT NULL;
    """

  /// A file is recorded once per batch: concurrent imports of one folder, and `add` run again on
  /// the same file, added the same (asset, path, batch) again. The copies are removed without
  /// changing the assets' revisions (nothing a destination holds changes), and a unique index
  /// keeps them out; `add` outside a batch counts as batch 0.
  static let v12 = """
    DROP TRIGGER provenance_deleted;
    DELETE FROM provenance WHERE id NOT IN (
      SELECT min(id) FROM provenance GROUP BY asset_id, original_path, ifnull(batch_id, 0));
    CREATE TRIGGER provenance_deleted AFTER DELETE ON provenance
      BEGIN UPDATE asset SET revision = revision + 1 WHERE id = OLD.asset_id; END;
    CREATE UNIQUE INDEX provenance_once ON provenance(asset_id, original_path, ifnull(batch_id, 0));
    """

  /// Lists a page at a time, in the order the assets were added (a bank of 100,000 assets and
  /// more): the order of `list` and of the web library (`added_at`, then the row, oldest or
  /// newest first), of the national bank's contributions (`received_at`, `source`, `asset_id`),
  /// and the capture-date and kind filters, each from an index instead of a sort of everything.
  static let v13 = """
    CREATE INDEX asset_by_added ON asset(added_at);
    CREATE INDEX asset_by_kind ON asset(kind, added_at);
    CREATE INDEX asset_by_capture ON asset(coalesce(captured_at_explicit, captured_at));
    CREATE INDEX contribution_by_received ON contribution(received_at) WHERE record IS NOT NULL;
    """

  /// The people who use the web library (`mediabank user`, `mediabank serve`): their accounts
  /// and roles, the signed-in browsers' sessions (by the hash of their secret), and an
  /// append-only log of the changes to accounts.
  static let v14 = """
    CREATE TABLE account (
      name TEXT PRIMARY KEY NOT NULL
        CHECK (length(name) BETWEEN 1 AND 64 AND name NOT GLOB '*[^a-z0-9._-]*'),
      role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
      password_hash TEXT NOT NULL CHECK (password_hash GLOB 'scrypt$*'),
      created_at TEXT NOT NULL,
      changed_at TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE TABLE session (
      secret_hash TEXT PRIMARY KEY NOT NULL
        CHECK (length(secret_hash) = 64 AND secret_hash NOT GLOB '*[^0-9a-f]*'),
      account TEXT NOT NULL REFERENCES account(name) ON DELETE CASCADE,
      form_token TEXT NOT NULL CHECK (length(form_token) >= 32),
      created_at TEXT NOT NULL,
      expires_at TEXT NOT NULL CHECK (expires_at > created_at)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX session_by_account ON session(account);
    CREATE TABLE account_event (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL CHECK (actor <> ''),
      account TEXT NOT NULL CHECK (account <> ''),
      action TEXT NOT NULL CHECK (action IN ('add', 'role', 'password', 'remove')),
      role TEXT CHECK (role IN ('viewer', 'editor', 'admin'))
    ) STRICT;
    CREATE TRIGGER account_event_no_update BEFORE UPDATE ON account_event
      BEGIN SELECT RAISE(ABORT, 'the account log is append-only'); END;
    CREATE TRIGGER account_event_no_delete BEFORE DELETE ON account_event
      BEGIN SELECT RAISE(ABORT, 'the account log is append-only'); END;
    """

  /// Tokens for scripts that use the web library's API (`Authorization: Bearer`), by the hash
  /// of their secret, each an account's; revoking one deletes it. Their creation and revocation
  /// join the account log.
  static let v15 = """
    CREATE TABLE api_token (
      id INTEGER PRIMARY KEY,
      account TEXT NOT NULL REFERENCES account(name) ON DELETE CASCADE,
      name TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
      secret_hash TEXT NOT NULL UNIQUE
        CHECK (length(secret_hash) = 64 AND secret_hash NOT GLOB '*[^0-9a-f]*'),
      created_at TEXT NOT NULL,
      UNIQUE (account, name)
    ) STRICT;
    CREATE TABLE token_event (
      id INTEGER PRIMARY KEY,
      at TEXT NOT NULL,
      actor TEXT NOT NULL CHECK (actor <> ''),
      account TEXT NOT NULL CHECK (account <> ''),
      token TEXT NOT NULL CHECK (token <> ''),
      action TEXT NOT NULL CHECK (action IN ('create', 'revoke'))
    ) STRICT;
    CREATE TRIGGER token_event_no_update BEFORE UPDATE ON token_event
      BEGIN SELECT RAISE(ABORT, 'the token log is append-only'); END;
    CREATE TRIGGER token_event_no_delete BEFORE DELETE ON token_event
      BEGIN SELECT RAISE(ABORT, 'the token log is append-only'); END;
    """

  /// The display renditions of photos (the web library's large view): for a photo a browser
  /// cannot show as it is (HEIC, an EXIF orientation, too large), the object of its JPEG of about
  /// 1600 pixels, made on its first view. Keyed by the content it renders, with no foreign key, so
  /// that a national bank's contributions have them too; a rendition goes when its content leaves
  /// the store (`purge`).
  static let v16 = """
    CREATE TABLE display (
      asset_id TEXT PRIMARY KEY NOT NULL
        CHECK (length(asset_id) = 71 AND asset_id GLOB 'sha256:*' AND substr(asset_id, 8) NOT GLOB '*[^0-9a-f]*'),
      object_id TEXT NOT NULL
        CHECK (length(object_id) = 71 AND object_id GLOB 'sha256:*' AND substr(object_id, 8) NOT GLOB '*[^0-9a-f]*'),
      width INTEGER NOT NULL CHECK (width > 0),
      height INTEGER NOT NULL CHECK (height > 0),
      made_at TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX display_by_object ON display(object_id);
    """

  /// The banks this bank sends its bundles to over HTTP (`mediabank remote`, `mediabank sync`):
  /// a destination's name and its server's URL. Its key is a trusted bank's (`trusted_bank`).
  static let v17 = """
    CREATE TABLE remote (
      name TEXT PRIMARY KEY NOT NULL
        CHECK (length(name) BETWEEN 1 AND 32 AND name NOT GLOB '*[^a-z0-9-]*'),
      url TEXT NOT NULL CHECK ((url GLOB 'http://?*' OR url GLOB 'https://?*') AND length(url) <= 2048),
      added_at TEXT NOT NULL
    ) STRICT, WITHOUT ROWID;
    """

  /// A province's account on the national bank: it sees the whole national library and edits
  /// nothing (its province edits in its own bank and syncs); `province` is its 2-digit code.
  static let v18 = """
    ALTER TABLE account ADD COLUMN province TEXT
      CHECK (province IS NULL OR (length(province) = 2 AND province NOT GLOB '*[^0-9]*' AND role = 'viewer'));
    """

  /// What the national bank reads often, made cheap: one province's records in the order
  /// received (its view, its report); a count of the bundles received, which a trigger keeps
  /// and the change mark of the web library's caches reads (a receive writes no asset, audit
  /// entry or batch); and what the national report counts of each record, which triggers keep
  /// as records arrive, change and go (a receive writes a contribution with `INSERT OR REPLACE`,
  /// which fires no delete trigger: the insert trigger replaces the row itself), so that the
  /// report groups small rows instead of reading every record's JSON (33 s for a million
  /// records, measured).
  static let v19 = """
    CREATE INDEX contribution_by_source ON contribution(source, received_at, asset_id) WHERE record IS NOT NULL;
    CREATE TABLE receive_count (received INTEGER NOT NULL CHECK (received >= 0)) STRICT;
    INSERT INTO receive_count SELECT count(*) FROM received_bundle;
    CREATE TRIGGER received_bundle_counted AFTER INSERT ON received_bundle
      BEGIN UPDATE receive_count SET received = received + 1; END;
    CREATE TABLE contribution_tally (
      source TEXT NOT NULL,
      asset_id TEXT NOT NULL,
      received_year TEXT NOT NULL,
      kind TEXT NOT NULL,
      pillars TEXT NOT NULL,
      languages TEXT NOT NULL,
      PRIMARY KEY (source, asset_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX contribution_tally_grouped
      ON contribution_tally(source, received_year, kind, pillars, languages);
    CREATE INDEX contribution_tally_by_asset ON contribution_tally(asset_id, received_year);
    \(tallyFilled(reportColumns))
    """

  /// What the library's facet counts and filters read of each record on the national bank, in
  /// the table `contribution_tally` with what the national report reads: `v19-national-reads`
  /// made the table with the report's columns; this makes it again with the facets' too, so that
  /// the counts beside the national library (115 s for a million records, measured, when each
  /// record's JSON was read) and a filtered listing read small rows.
  static let v20 = """
    DROP TRIGGER contribution_tally_insert;
    DROP TRIGGER contribution_tally_update;
    DROP TRIGGER contribution_tally_delete;
    DROP TABLE contribution_tally;
    CREATE TABLE contribution_tally (
      source TEXT NOT NULL,
      asset_id TEXT NOT NULL,
      received_year TEXT NOT NULL,
      kind TEXT NOT NULL,
      pillars TEXT NOT NULL,
      languages TEXT NOT NULL,
      tagged_pillars TEXT NOT NULL,
      tagged_languages TEXT NOT NULL,
      province TEXT,
      commune TEXT,
      captured_at TEXT,
      capture_year INTEGER,
      suggested INTEGER NOT NULL CHECK (suggested IN (0, 1)),
      retracted INTEGER NOT NULL CHECK (retracted IN (0, 1)),
      damaged INTEGER NOT NULL CHECK (damaged IN (0, 1)),
      received_at TEXT NOT NULL,
      PRIMARY KEY (source, asset_id)
    ) STRICT, WITHOUT ROWID;
    CREATE INDEX contribution_tally_grouped
      ON contribution_tally(source, received_year, kind, pillars, languages);
    CREATE INDEX contribution_tally_by_asset ON contribution_tally(asset_id, received_year);
    \(tallyFilled { reportColumns($0) + ",\n" + facetColumns($0) })
    """

  /// Fills `contribution_tally` with `columns` of each record held, and makes the triggers that
  /// keep it so as records arrive, change and go.
  private static func tallyFilled(_ columns: (String) -> String) -> String {
    """
    INSERT INTO contribution_tally SELECT \(columns("contribution")) FROM contribution WHERE record IS NOT NULL;
    CREATE TRIGGER contribution_tally_insert AFTER INSERT ON contribution
      BEGIN
        DELETE FROM contribution_tally WHERE source = NEW.source AND asset_id = NEW.asset_id;
        INSERT INTO contribution_tally SELECT \(columns("NEW")) WHERE NEW.record IS NOT NULL;
      END;
    CREATE TRIGGER contribution_tally_update AFTER UPDATE ON contribution
      BEGIN
        DELETE FROM contribution_tally WHERE source = OLD.source AND asset_id = OLD.asset_id;
        INSERT INTO contribution_tally SELECT \(columns("NEW")) WHERE NEW.record IS NOT NULL;
      END;
    CREATE TRIGGER contribution_tally_delete AFTER DELETE ON contribution
      BEGIN DELETE FROM contribution_tally WHERE source = OLD.source AND asset_id = OLD.asset_id; END;
    """
  }

  /// The report's columns of `contribution_tally` read from the contribution row `row`: its
  /// source and asset, the year it was received, its record's kind, and its confirmed pillars (a
  /// sub-pillar as the pillar its record says it rolls up to) and languages (in lower case), each
  /// once, in order, separated by spaces.
  static func reportColumns(_ row: String) -> String {
    """
    \(row).source, \(row).asset_id, substr(\(row).received_at, 1, 4), coalesce(json_extract(\(row).record, '$.kind'), ''),
          coalesce((SELECT group_concat(code, ' ') FROM (
            SELECT DISTINCT coalesce(json_extract(value, '$.parent'), json_extract(value, '$.code')) AS code
            FROM json_each(\(row).record, '$.pillars') WHERE json_extract(value, '$.confirmed') ORDER BY code)), ''),
          coalesce((SELECT group_concat(tag, ' ') FROM (
            SELECT DISTINCT lower(json_extract(value, '$.tag')) AS tag
            FROM json_each(\(row).record, '$.languages') WHERE json_extract(value, '$.confirmed') ORDER BY tag)), '')
    """
  }

  /// The facets' columns of `contribution_tally` read from the contribution row `row`, as the
  /// library's facets count a record (`FacetValues`): every pillar code it is tagged with,
  /// confirmed or not, and the national pillar of each sub-pillar; every language tag, in lower
  /// case (each once, in order, separated by spaces); its locality's province and commune; its
  /// capture time and the year of its capture (else the year its folders name); whether a tag
  /// is suggested (a pillar, a language, or its locality), whether it is retracted or damaged;
  /// when it was received (the order of the national library's listings).
  static func facetColumns(_ row: String) -> String {
    let record = "\(row).record"
    let captured = "json_extract(\(record), '$.capturedAt')"
    return """
            coalesce((SELECT group_concat(code, ' ') FROM (
              SELECT json_extract(value, '$.code') AS code FROM json_each(\(record), '$.pillars')
              UNION SELECT json_extract(value, '$.parent') FROM json_each(\(record), '$.pillars')
              WHERE json_extract(value, '$.parent') IS NOT NULL ORDER BY code)), ''),
            coalesce((SELECT group_concat(tag, ' ') FROM (
              SELECT DISTINCT lower(json_extract(value, '$.tag')) AS tag
              FROM json_each(\(record), '$.languages') ORDER BY tag)), ''),
            json_extract(\(record), '$.locality.province'), json_extract(\(record), '$.locality.commune'), \(captured),
            CASE WHEN substr(\(captured), 1, 4) GLOB '[0-9][0-9][0-9][0-9]' THEN CAST(substr(\(captured), 1, 4) AS INTEGER)
              ELSE json_extract(\(record), '$.hints.capturedYear') END,
            EXISTS (SELECT 1 FROM json_each(\(record), '$.pillars') WHERE NOT json_extract(value, '$.confirmed'))
              OR EXISTS (SELECT 1 FROM json_each(\(record), '$.languages') WHERE NOT json_extract(value, '$.confirmed'))
              OR coalesce(json_extract(\(record), '$.locality.confirmed') = 0, 0),
            json_extract(\(record), '$.retraction') IS NOT NULL, json_extract(\(record), '$.damaged') IS NOT NULL,
            \(row).received_at
      """
  }
}
