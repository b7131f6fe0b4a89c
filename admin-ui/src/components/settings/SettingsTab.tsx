import ConnectionsPanel from './ConnectionsPanel';
import MappingsEditor from './MappingsEditor';
import ServiceConnectionForm from './ServiceConnectionForm';

export default function SettingsTab() {
	return (
		<div className="bpwc-settings">
			<ConnectionsPanel />
			<ServiceConnectionForm />
			<MappingsEditor />
		</div>
	);
}
