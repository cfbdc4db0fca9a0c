-- The intake form looks people up by name: has this person been a party
-- to a case here before?
CREATE INDEX parties_by_name ON parties (name);
