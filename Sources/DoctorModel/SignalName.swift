/// The names of the bundle signals parsers emit: the vocabulary of `{signal: name}` conditions
/// in rule packs (lint checks a rule's signal names against it; `docs/rules.md` lists them).
public enum SignalName: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// A line of the customer's own words (value: the line).
    case ticketText = "ticket-text"
    /// The ticket or a log mentions Docker / a container.
    case docker
    /// A base URL the app or the ticket names (value: the URL).
    case configuredBaseURL = "configured-base-url"
    /// A proxy environment variable (value: the proxy address).
    case proxyEnv = "proxy-env"
    /// A proxy set in the app's own configuration (value: the proxy URL).
    case proxyConfig = "proxy-config"
    /// The SDK connected through a proxy (value: host:port).
    case proxyConnect = "proxy-connect"
    /// A model name the ticket mentions (value: the name).
    case mentionedModel = "mentioned-model"
    /// A model the customer's settings or words say the client is set to use: `MODEL=x`,
    /// `model: x` in a config snippet, `CUSTOM_MODELS=+x`, "我使用的 x" (value: the name).
    case configuredModel = "configured-model"
    /// A model the customer's settings remove from the client's list (`CUSTOM_MODELS=-x`):
    /// a call that still names it was not chosen by the customer (value: the name).
    case disabledModel = "disabled-model"
    /// An HTTP status the ticket mentions (value: the number).
    case mentionedStatus = "mentioned-status"
    /// The customer says the client was upgraded (value: the line).
    case clientUpgraded = "client-upgraded"
    /// A model a gateway log or the app says is configured or listed; it joins the catalog.
    case catalogModel = "catalog-model"
    /// A model a local model server's own listing shows installed (`ollama list`); it also
    /// joins the catalog as a `catalogModel`.
    case localListedModel = "local-listed-model"
    /// A model the gateway failed to set up at start-up (LiteLLM's `Error creating deployment:
    /// … You passed model=x`): its calls find no deployment (value: the model).
    case gatewayDeploymentError = "gateway-deployment-error"
    /// How many models the app says it got (value: the count).
    case clientListedCount = "client-listed-count"
    /// An error the app printed outside any HTTP call (value: class and message).
    case clientError = "client-error"

    public var description: String { rawValue }
}
