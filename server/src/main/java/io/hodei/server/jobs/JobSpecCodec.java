package io.hodei.server.jobs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hodei.core.jobs.JobSpec;
import jakarta.enterprise.context.ApplicationScoped;

/** Stores a job spec as JSON in its row, and reads it back. */
@ApplicationScoped
public class JobSpecCodec {

  private final ObjectMapper json;

  public JobSpecCodec(ObjectMapper json) {
    this.json = json;
  }

  public String write(JobSpec spec) {
    try {
      return json.writeValueAsString(spec);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a job spec as JSON", e);
    }
  }

  public JobSpec read(JobEntity job) {
    try {
      return json.readValue(job.spec, JobSpec.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored spec of job " + job.id + " is unreadable", e);
    }
  }
}
