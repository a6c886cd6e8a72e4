-- Schema version 7: web seeds are an explicit choice per release.
-- A member's .torrent copy keeps the uploader's 'url-list' / 'httpseeds' (BEP 19 / 17)
-- only for a release whose uploader enabled them; off for every existing release, so an
-- upgrade stops handing out web seeds nobody chose to share.
ALTER TABLE torrents ADD COLUMN web_seeds_enabled BOOLEAN NOT NULL DEFAULT 0;
