package org.opencodemcp.server.instance;

import java.time.Instant;

/** A permission or question that waits on a person, with when it was asked (or first seen). */
public record Pending<T>(T request, Instant askedAt) {}
