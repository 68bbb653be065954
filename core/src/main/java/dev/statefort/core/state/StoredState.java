package dev.statefort.core.state;

import dev.statefort.core.model.VersionRecord;
import java.io.InputStream;

/** A version's metadata and its bytes, streamed; the caller closes {@code content}. */
public record StoredState(VersionRecord version, InputStream content) {}
