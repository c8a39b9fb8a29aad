package io.serval.operator.runtime.kubernetes.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.serval.operator.spec.SplitterSpec;
import io.serval.operator.status.SplitterStatus;

/** The TrafficSplitter custom resource. */
@Group(ServalGroup.GROUP)
@Version(ServalGroup.VERSION)
@Kind("TrafficSplitter")
@Singular("trafficsplitter")
@Plural("trafficsplitters")
@ShortNames({"ts", "splitter"})
@AdditionalPrinterColumn(
    name = "Ready",
    jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Endpoint",
    jsonPath = ".status.endpoint",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "APIs",
    jsonPath = ".spec.apis[*].name",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = AdditionalPrinterColumn.Type.DATE)
public class TrafficSplitterResource extends CustomResource<SplitterSpec, SplitterStatus>
    implements Namespaced {}
