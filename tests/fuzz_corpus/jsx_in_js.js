const App = () => <div>{items.map(i => <Item key={i} />)}</div>;
