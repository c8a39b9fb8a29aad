package io.serval.router.dispatch;

/**
 * Opens the trace of one request in the dispatcher (the router's queue wait and its forwards to
 * replicas), under whatever trace the calling edge is in. {@link #NONE} when tracing is off, so
 * that the dispatch path then pays nothing for it.
 */
public interface RequestTracer {

  /**
   * Called on the thread that submits the request, once its API and revision are known: the request
   * starts waiting in the API's queue now.
   *
   * @param revision the revision picked, or "" when none was
   */
  RequestTrace admitted(String api, String revision);

  RequestTracer NONE = (api, revision) -> RequestTrace.NONE;
}
