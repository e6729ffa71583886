package io.hodei.systemtests;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.List;
import java.util.Optional;

/** The worker registry through {@code GET /api/v1/workers}. */
public final class WorkersClient {

  private static final TypeReference<List<Worker>> WORKERS = new TypeReference<>() {};

  private final Api api;

  WorkersClient(Api api) {
    this.api = api;
  }

  /** Live workers, or every worker the registry remembers when {@code all} is true. */
  public List<Worker> list(boolean all) {
    String body =
        api.request()
            .queryParam("all", all)
            .queryParam("limit", 1000)
            .get("/api/v1/workers")
            .then()
            .statusCode(200)
            .extract()
            .asString();
    return Json.read(body, WORKERS);
  }

  /** One worker, live or ended. */
  public Optional<Worker> find(String workerId) {
    return list(true).stream().filter(worker -> worker.id().equals(workerId)).findFirst();
  }
}
