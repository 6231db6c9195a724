package org.opencodemcp.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A job result to and from the JSON kept in the {@code result} column. */
final class JobCodec {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private JobCodec() {}

    static String write(JobResult r) {
        if (r == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(r);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static JobResult read(String json) {
        if (json == null || json.isEmpty()) {
            return null;
        }
        try {
            return JSON.readValue(json, JobResult.class);
        } catch (JsonProcessingException e) {
            // a row written by a release with another shape: show the job without its result
            return new JobResult(null, false, null, null, null, null, "result unreadable (" + e.getOriginalMessage() + ")");
        }
    }
}
